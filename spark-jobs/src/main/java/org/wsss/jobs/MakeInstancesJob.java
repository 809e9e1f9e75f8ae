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
 * instances  array&lt;struct&lt;class_index int, score float, mask binary&gt;&gt;  mask: 8-bit grey PNG, 1 inside, 0 outside
 * </pre>
 * Instance AP is not measured yet: ingest does not read VOC's SegmentationObject masks.
 */
public final class MakeInstancesJob implements Stage {
    public static final String NAME = "make-instances";
    static final String DESCRIPTION = "affinity.method = irn: IRNet's instance masks (centroids along the displacement "
            + "field, per-instance walks on the boundary affinities) on executors; writes "
            + "<run-dir>/make-instances/instances (Parquet).";

    static final StructType INSTANCE = new StructType(new StructField[]{
            DataTypes.createStructField("class_index", DataTypes.IntegerType, false),
            DataTypes.createStructField("score", DataTypes.FloatType, false),
            DataTypes.createStructField("mask", DataTypes.BinaryType, false)});
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("instances", DataTypes.createArrayType(INSTANCE, false), false)});

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

    /** psa's AffinityNet has no displacement field: the stage then reads itself, so no pipeline ever runs it. */
    @Override
    public List<String> inputs(Settings s) {
        return TrainAffinityJob.irn(s) ? inputs() : List.of(NAME);
    }

    @Override
    public void validate(Settings s) {
        if (!TrainAffinityJob.irn(s)) {
            throw new IllegalStateException("make-instances reads IRNet's displacement field: it needs "
                    + "affinity.method = irn, got " + s.get(Params.Affinity.METHOD));
        }
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        int inputSize = s.get(Params.Affinity.INPUT_SIZE);
        IrnWalk walk = new IrnWalk(s.get(Params.Irn.WALK_RADIUS), s.get(Params.Irn.BETA), s.get(Params.Irn.STEPS),
                s.get(Params.Irn.BG_SCORE), s.get(Params.Walk.THREADS));
        List<String> taps = IrnNets.taps(s.get(Params.Classifier.NETWORK));
        Broadcast<byte[]> irn = ctx.jsc().broadcast(ModelStore.readBytes(ctx,
                new Path(ctx.stageDir(TrainAffinityJob.NAME), TrainAffinityJob.MODEL)));
        Broadcast<byte[]> classifier = ctx.jsc().broadcast(ModelStore.readBytes(ctx,
                new Path(ctx.stageDir(TrainClassifierJob.NAME), TrainClassifierJob.MODEL)));
        Dataset<Row> images = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .select("image_id", "split", "image");
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
        long instances = ctx.spark().read().parquet(ctx.stagePath(NAME, "instances"))
                .selectExpr("sum(size(instances))").first().isNullAt(0) ? 0
                : ctx.spark().read().parquet(ctx.stagePath(NAME, "instances"))
                .selectExpr("sum(size(instances))").first().getLong(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_images", join.count());
        m.put("num_instances", instances);
        m.put("images_per_second", join.count() / Math.max(seconds, 1e-9));
        m.put("instance_ap50", "not measured: ingest does not read VOC's SegmentationObject masks yet");
        m.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return m;
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
                camMaps = FloatBytes.decode((byte[]) r.get(6));
            }
            int[] classes = r.<Integer>getList(3).stream().mapToInt(Integer::intValue).toArray();
            List<Row> found = new ArrayList<>();
            if (classes.length > 0) {
                IrnNets.Maps maps;
                try (PhaseClock.Lap lap = clock.start("network")) {
                    maps = RandomWalkJob.boundary(classifier, irn.net(), taps, irn.norm(), img, inputSize);
                }
                List<InstanceMasks.Detection> detections;
                try (PhaseClock.Lap lap = clock.start("instances")) {
                    float[] onGrid = ImageTensors.resizeMaps(camMaps, classes.length, r.getInt(4), r.getInt(5),
                            maps.height(), maps.width());
                    detections = InstanceMasks.detect(maps.boundary(), maps.displacement(), maps.height(),
                            maps.width(), onGrid, classes, img.height(), img.width(), walk, walk.bgScore());
                }
                try (PhaseClock.Lap lap = clock.start("png")) {
                    for (InstanceMasks.Detection d : detections) {
                        byte[] mask = new byte[d.mask().length];
                        for (int i = 0; i < mask.length; i++) {
                            mask[i] = (byte) (d.mask()[i] ? 1 : 0);
                        }
                        found.add(RowFactory.create(d.classIndex(), (float) d.score(),
                                ImageCodec.encodeGreyMask(new LabelMask(img.width(), img.height(), mask))));
                    }
                }
            }
            return RowFactory.create(r.getString(0), r.getString(1), img.width(), img.height(),
                    ManifestSchema.seq(found));
        }, () -> phases.add(clock));
    }
}
