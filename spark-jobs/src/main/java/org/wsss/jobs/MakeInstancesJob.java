package org.wsss.jobs;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;
import org.wsss.irn.InstanceMasks;
import org.wsss.irn.IrnNets;
import org.wsss.irn.IrnWalk;
import org.wsss.metrics.InstanceAp;
import org.wsss.nn.ImageTensors;
import org.wsss.spark.CamSchema;
import org.wsss.cam.FloatBytes;
import org.wsss.spark.ManifestJoin;
import org.wsss.spark.ManifestSchema;
import org.wsss.spark.ModelStore;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.metrics.PhaseClock;
import org.wsss.spark.ProgressListener;
import org.wsss.spark.RowStream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wsss make-instances} (affinity.method = irn): IRNet's instance masks of every image from its displacement
 * field, boundary map and CAMs ({@link InstanceMasks}).
 * <pre>
 * instances (Parquet, one row per image):
 * image_id   string  not null
 * split      string  not null
 * width      int     not null
 * height     int     not null
 * instances  array&lt;struct&lt;class_index int, score float, mask binary, true_positive boolean&gt;&gt;  mask: 8-bit
 *            grey PNG, 1 inside, 0 outside; true_positive: matched to a ground-truth instance of its class at mask IoU
 *            0.5 (VOC's greedy matching, highest score first), null without instance ground truth
 * gt_instances array&lt;int&gt;  the class of each ground-truth instance, null without instance ground truth
 * </pre>
 * With instance ground truth in the manifest (VOC's SegmentationObject with SegmentationClass; an instance's class
 * is its pixels' commonest class), metrics.json has instance_ap50: VOC's instance AP at mask IoU 0.5
 * ({@link InstanceAp}), per class and its mean.
 */
public final class MakeInstancesJob implements Stage {
    public static final String NAME = "make-instances";
    static final String DESCRIPTION = "affinity.method = irn: IRNet's instance masks (centroids along the displacement "
            + "field, per-instance walks on the boundary affinities) on executors; writes "
            + "<run-dir>/make-instances/instances (Parquet).";

    static final StructType INSTANCE = new StructType(new StructField[]{
            DataTypes.createStructField("class_index", DataTypes.IntegerType, false),
            DataTypes.createStructField("score", DataTypes.FloatType, false),
            DataTypes.createStructField("mask", DataTypes.BinaryType, false),
            DataTypes.createStructField("true_positive", DataTypes.BooleanType, true)});
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("instances", DataTypes.createArrayType(INSTANCE, false), false),
            DataTypes.createStructField("gt_instances", DataTypes.createArrayType(DataTypes.IntegerType, false),
                    true)});

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<String> configPrefixes() {
        return List.of("affinity.input-size", "affinity.method", "irn", "walk.threads");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, MakeCamsJob.NAME, TrainAffinityJob.NAME, TrainClassifierJob.NAME);
    }

    /** psa's AffinityNet has no displacement field: nothing to make. */
    @Override
    public boolean applies(Settings s) {
        return TrainAffinityJob.irn(s);
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        if (!applies(s)) {
            // run for every stage in turn (the Airflow DAG) with psa: no displacement field, nothing made
            return Map.of("made", false, "reason", "affinity.method = " + s.get(Params.Affinity.METHOD)
                    + " has no displacement field (make-instances reads IRNet's)");
        }
        int inputSize = s.get(Params.Affinity.INPUT_SIZE);
        IrnWalk walk = new IrnWalk(s.get(Params.Irn.WALK_RADIUS), s.get(Params.Irn.BETA), s.get(Params.Irn.STEPS),
                s.get(Params.Irn.BG_SCORE), s.get(Params.Walk.THREADS));
        List<String> taps = IrnNets.taps(s.get(Params.Classifier.NETWORK));
        Broadcast<byte[]> irn = ctx.jsc().broadcast(ModelStore.readBytes(ctx,
                new Path(ctx.stageDir(TrainAffinityJob.NAME), TrainAffinityJob.MODEL)));
        Broadcast<byte[]> classifier = ctx.jsc().broadcast(ModelStore.readBytes(ctx,
                new Path(ctx.stageDir(TrainClassifierJob.NAME), TrainClassifierJob.MODEL)));
        Dataset<Row> manifest = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"));
        // manifests of older runs have no instances column
        if (!java.util.Arrays.asList(manifest.columns()).contains("instances")) {
            manifest = manifest.withColumn("instances", org.apache.spark.sql.functions.lit(null)
                    .cast(DataTypes.BinaryType));
        }
        Dataset<Row> images = manifest.select("image_id", "split", "image", "mask", "instances");
        Dataset<Row> cams = ctx.spark().read().parquet(ctx.stagePath(MakeCamsJob.NAME, "cams"))
                .select("image_id", "classes", "grid_height", "grid_width", "cams");
        ManifestJoin.Joined join = ManifestJoin.join(ctx.spark(), images, cams);
        PhaseAccumulator phases = PhaseAccumulator.register(ctx.spark().sparkContext(), NAME);
        JavaRDD<Row> rows = join.rows().javaRDD().mapPartitions(it -> instancesOf(it, irn.value(), classifier.value(),
                taps, walk, inputSize, phases));
        long t0 = System.nanoTime();
        ProgressListener progress = ProgressListener.start(ctx.spark().sparkContext(), NAME, rows.getNumPartitions(),
                join.count(), s.get(Params.Runtime.PROGRESS_SECONDS));
        try (progress) {
            ctx.spark().createDataFrame(rows, SCHEMA).write().parquet(ctx.stagePath(NAME, "instances"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        irn.destroy();
        classifier.destroy();
        Dataset<Row> written = ctx.spark().read().parquet(ctx.stagePath(NAME, "instances"));
        Row sum = written.selectExpr("sum(size(instances))").first();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_images", join.count());
        m.put("num_instances", sum.isNullAt(0) ? 0L : sum.getLong(0));
        m.put("images_per_second", join.count() / Math.max(seconds, 1e-9));
        m.putAll(averagePrecision(written, IngestJob.classes(ctx)));
        m.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return m;
    }

    /** Instance AP at IoU 0.5 over the images with instance ground truth, per class and its mean. */
    static Map<String, Object> averagePrecision(Dataset<Row> written, org.wsss.data.ClassList classes) {
        Dataset<Row> truth = written.filter("gt_instances is not null");
        long images = truth.count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_images_with_instance_ground_truth", images);
        if (images == 0) {
            m.put("instance_ap50", "not measured: no image has instance ground truth (VOC SegmentationObject)");
            return m;
        }
        long[] positives = new long[classes.size()];
        for (Row r : truth.selectExpr("explode(gt_instances) as c").groupBy("c").count().collectAsList()) {
            positives[r.getInt(0) - 1] = r.getLong(1);
        }
        List<InstanceAp.Match> matches = new ArrayList<>();
        for (Row r : truth.selectExpr("explode(instances) as i").selectExpr("i.class_index", "i.score",
                "i.true_positive").collectAsList()) {
            matches.add(new InstanceAp.Match(r.getInt(0), r.getFloat(1), r.getBoolean(2)));
        }
        double[] ap = InstanceAp.fromMatches(matches, positives);
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 1; c <= classes.size(); c++) {
            perClass.put(classes.name(c), ap[c - 1]);
        }
        m.put("instance_ap50", InstanceAp.mean(ap));
        m.put("instance_ap50_per_class", perClass);
        return m;
    }

    /** An image's ground-truth instances: each instance number's pixels, classed by their commonest class. */
    static List<InstanceAp.Instance> groundTruth(LabelMask instances, LabelMask classes) {
        int n = instances.labels().length;
        List<InstanceAp.Instance> out = new ArrayList<>();
        for (int k = 1; k < LabelMask.IGNORE; k++) {
            boolean[] mask = new boolean[n];
            int[] votes = new int[256];
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if ((instances.labels()[i] & 0xff) == k) {
                    mask[i] = true;
                    any = true;
                    votes[classes.labels()[i] & 0xff]++;
                }
            }
            if (!any) {
                continue;
            }
            int best = 0;
            for (int c = 1; c < LabelMask.IGNORE; c++) {
                if (votes[c] > votes[best] || best == 0 && votes[c] > 0) {
                    best = c;
                }
            }
            if (best > 0) {
                out.add(new InstanceAp.Instance(best, 0, mask));
            }
        }
        return out;
    }

    private static Iterator<Row> instancesOf(Iterator<Row> it, byte[] irnBytes, byte[] classifierBytes,
                                             List<String> taps, IrnWalk walk, int inputSize, PhaseAccumulator phases) {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        PhaseClock clock = new PhaseClock();
        ModelStore.Loaded irn = ModelStore.load(irnBytes, clock);
        ComputationGraph classifier = ModelStore.load(classifierBytes, clock).net();
        return RowStream.map(it, r -> {
            RgbImage img;
            float[] camMaps;
            try (PhaseClock.Lap lap = clock.start("decode")) {
                img = ImageCodec.decodeRgb((byte[]) r.get(2));
                camMaps = FloatBytes.decode((byte[]) r.get(8));
            }
            int[] classes = r.<Integer>getList(5).stream().mapToInt(Integer::intValue).toArray();
            List<InstanceAp.Instance> truth = r.isNullAt(3) || r.isNullAt(4) ? null : groundTruth(
                    ImageCodec.decodeMask((byte[]) r.get(4), "instances of " + r.getString(0)),
                    ImageCodec.decodeMask((byte[]) r.get(3), "mask of " + r.getString(0)));
            List<InstanceMasks.Detection> detections = List.of();
            if (classes.length > 0) {
                IrnNets.Maps maps;
                try (PhaseClock.Lap lap = clock.start("network")) {
                    maps = RandomWalkJob.boundary(classifier, irn.net(), taps, irn.norm(), img, inputSize);
                }
                try (PhaseClock.Lap lap = clock.start("instances")) {
                    float[] onGrid = ImageTensors.resizeMaps(camMaps, classes.length, r.getInt(6), r.getInt(7),
                            maps.height(), maps.width());
                    detections = InstanceMasks.detect(maps.boundary(), maps.displacement(), maps.height(),
                            maps.width(), onGrid, classes, img.height(), img.width(), walk, walk.bgScore());
                }
            }
            List<InstanceAp.Match> matched = new ArrayList<>();
            if (truth != null) {
                List<InstanceAp.Instance> predicted = new ArrayList<>();
                for (InstanceMasks.Detection d : detections) {
                    predicted.add(new InstanceAp.Instance(d.classIndex(), d.score(), d.mask()));
                }
                matched = InstanceAp.match(predicted, truth, 0.5);
            }
            List<Row> found = new ArrayList<>();
            try (PhaseClock.Lap lap = clock.start("png")) {
                List<InstanceMasks.Detection> ordered = new ArrayList<>(detections);
                ordered.sort(java.util.Comparator.comparingDouble((InstanceMasks.Detection d) -> -d.score()));
                for (int k = 0; k < ordered.size(); k++) {
                    InstanceMasks.Detection d = ordered.get(k);
                    byte[] mask = new byte[d.mask().length];
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = (byte) (d.mask()[i] ? 1 : 0);
                    }
                    found.add(RowFactory.create(d.classIndex(), (float) d.score(),
                            ImageCodec.encodeGreyMask(new LabelMask(img.width(), img.height(), mask)),
                            truth == null ? null : matched.get(k).truePositive()));
                }
            }
            return RowFactory.create(r.getString(0), r.getString(1), img.width(), img.height(),
                    ManifestSchema.seq(found), truth == null ? null
                            : ManifestSchema.seq(truth.stream().map(InstanceAp.Instance::classIndex).toList()));
        }, () -> phases.add(clock));
    }
}
