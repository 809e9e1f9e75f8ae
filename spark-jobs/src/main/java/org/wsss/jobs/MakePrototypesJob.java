package org.wsss.jobs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;
import org.wsss.metrics.PhaseClock;
import org.wsss.nn.InputNorm;
import org.wsss.seg.SegExamples;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegPredictor;
import org.wsss.seg.SegTargets;
import org.wsss.segsort.PixelSorting;
import org.wsss.segsort.SegSortNets;
import org.wsss.segsort.Segmenter;
import org.wsss.spark.ManifestSchema;
import org.wsss.spark.ModelStore;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.spark.ProgressListener;
import org.wsss.spark.RowStream;
import org.wsss.spark.train.EpochLoop;

/**
 * {@code wsss make-prototypes}: SegSort's retrieval table. Every training image (the train split with the labels
 * the segmentation net learnt from, train.supervision: random-walk's pseudo-labels, the masks, or the points; for
 * an unsupervised net the labels segsort.prototype-labels names) goes
 * through the trained net at its own size; its pixel embeddings are sorted into segments (spherical k-means from
 * the segsort.grid-side grid, the clusters split by the labels, 255 left out; with points every pixel is sorted
 * and each cluster takes the label of its clicks, unclicked clusters left out) and each segment's prototype, the
 * normalised mean of its unit embeddings, is kept with the segment's label. predict with predict.method = knn
 * labels test segments by these. With train.method = softmax there is nothing to make: the stage records that and
 * writes no table (the pipeline does not run it then; the Airflow DAG runs every stage).
 * <pre>
 * prototypes (Parquet, one row per image): image_id, depth, labels (array of int, one per segment),
 *   vectors (array of float, segments x depth, row-major)
 * </pre>
 */
public final class MakePrototypesJob implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(MakePrototypesJob.class);
    public static final String NAME = "make-prototypes";
    static final String DESCRIPTION = "SegSort (train.method = segsort): the trained net's segment prototypes of every training "
            + "image, each with its label, for predict.method = knn; writes <run-dir>/make-prototypes/prototypes "
            + "(Parquet).";

    public static final StructType PROTOTYPES = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("depth", DataTypes.IntegerType, false),
            DataTypes.createStructField("labels", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField("vectors", DataTypes.createArrayType(DataTypes.FloatType, false), false)});

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
        return List.of("segsort");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, RandomWalkJob.NAME, TrainSegmentationJob.NAME);
    }

    @Override
    public List<String> inputs(Settings s) {
        return TrainSegmentationJob.readsWalk(labelledBy(s)) ? inputs()
                : List.of(IngestJob.NAME, TrainSegmentationJob.NAME);
    }

    /**
     * The labels the prototypes take: what the net trained on, or, for an unsupervised net, segsort.prototype-labels.
     */
    static String labelledBy(Settings s) {
        String supervision = s.get(Params.Train.SUPERVISION);
        return supervision.equals(TrainSegmentationJob.UNSUPERVISED) ? s.get(Params.SegSort.PROTOTYPE_LABELS)
                : supervision;
    }


    /** What the tasks need besides their rows. */
    private record Plan(PixelSorting.Params sorting, String modelPath, boolean sparse) implements java.io.Serializable {
    }

    /** A softmax net learns no SegSort embedding: nothing to make. */
    @Override
    public boolean applies(Settings s) {
        return !TrainSegmentationJob.method(s).scoresClasses();
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        if (!applies(s)) {
            // run for every stage in turn (the Airflow DAG) with a softmax net: nothing to retrieve by, nothing made
            LOG.warn("{}: train.method = {} learns no SegSort embedding; no prototype table is made (predict.method "
                    + "= knn needs train.method = segsort)", NAME, s.get(Params.Train.METHOD));
            return Map.of("made", false, "reason", "train.method = " + s.get(Params.Train.METHOD));
        }
        Path modelPath = new Path(ctx.stageDir(TrainSegmentationJob.NAME), EpochLoop.MODEL);
        Broadcast<byte[]> model = ctx.jsc().broadcast(ModelStore.readBytes(ctx, modelPath));
        Plan plan = new Plan(sorting(s), modelPath.toString(), TrainSegmentationJob.sparse(labelledBy(s)));
        // the labels the net learnt from (random-walk's pseudo-labels, the masks, the points), or those
        // segsort.prototype-labels names for an unsupervised net
        String labelledBy = labelledBy(s);
        JavaRDD<TrainSegmentationJob.TrainingImage> images = TrainSegmentationJob.trainingImages(ctx, s, labelledBy);
        PhaseAccumulator phases = PhaseAccumulator.register(ctx.spark().sparkContext(), NAME);
        JavaRDD<Row> rows = images.mapPartitions(it -> prototypesOf(it, model.value(), plan, phases));
        ProgressListener progress = ProgressListener.start(ctx.spark().sparkContext(), NAME, rows.getNumPartitions(),
                -1, s.get(Params.Runtime.PROGRESS_SECONDS));
        long t0 = System.nanoTime();
        String out = ctx.stagePath(NAME, "prototypes");
        try (progress) {
            ctx.spark().createDataFrame(rows, PROTOTYPES).write().parquet(out);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        model.destroy();
        Row totals = ctx.spark().read().parquet(out).selectExpr("count(*)", "sum(size(labels))", "max(depth)")
                .first();
        long numImages = totals.getLong(0);
        long numPrototypes = totals.isNullAt(1) ? 0 : totals.getLong(1);
        if (numPrototypes == 0) {
            throw new IllegalStateException("make-prototypes: no segment with a label in " + numImages
                    + " training images; are their labels (" + labelledBy + ") all 255?");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("made", true);
        m.put("labels", labelledBy);
        m.put("num_images", numImages);
        m.put("num_prototypes", numPrototypes);
        m.put("prototypes_per_image", (double) numPrototypes / Math.max(1, numImages));
        m.put("depth", totals.getInt(2));
        m.put("table_mb", numPrototypes * totals.getInt(2) * 8.0 / (1 << 20));
        m.put("images_per_second", numImages / Math.max(seconds, 1e-9));
        m.put("prototypes_per_label", ctx.spark().read().parquet(out).selectExpr("explode(labels) as label")
                .groupBy("label").count().collectAsList().stream()
                .collect(java.util.stream.Collectors.toMap(r -> String.valueOf(r.getInt(0)), r -> r.getLong(1),
                        (a, b) -> a, java.util.TreeMap::new)));
        m.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return m;
    }

    static PixelSorting.Params sorting(Settings s) {
        return new PixelSorting.Params(s.get(Params.SegSort.GRID_SIDE), s.get(Params.SegSort.KMEANS_ITERATIONS));
    }

    private static Iterator<Row> prototypesOf(Iterator<TrainSegmentationJob.TrainingImage> it, byte[] modelBytes,
                                              Plan plan, PhaseAccumulator phases) throws Exception {
        if (!it.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        PhaseClock clock = new PhaseClock();
        ModelStore.Loaded loaded = ModelStore.load(modelBytes, clock);
        ComputationGraph net = loaded.net();
        InputNorm norm = loaded.norm();
        if (!SegSortNets.sortsSegments(net)) {
            throw new IllegalStateException("the model " + plan.modelPath() + " was not trained with train.method = "
                    + "segsort or spml: its embedding learnt no segment sorting");
        }
        int depth = SegNets.embeddingDim(net);
        return RowStream.map(it, t -> {
            RgbImage img;
            LabelMask labels;
            boolean clicks = plan.sparse();
            try (PhaseClock.Lap lap = clock.start("decode")) {
                img = ImageCodec.decodeRgb(t.image());
                // points supervision: the clicks, a label at each clicked pixel and 255 elsewhere
                labels = t.pseudoLabel() == null ? new LabelMask(img.width(), img.height(), SegTargets.pointMap(
                        SegExamples.unpackPoints(t.points()), img.width(), img.height()))
                        : ImageCodec.decodeMask(t.pseudoLabel(), t.imageId());
            }
            if (labels.width() != img.width() || labels.height() != img.height()) {
                throw new IllegalStateException("make-prototypes: image " + t.imageId() + " is " + img.width() + "x"
                        + img.height() + " but its pseudo-label " + labels.width() + "x" + labels.height());
            }
            double[] emb;
            try (PhaseClock.Lap lap = clock.start("network")) {
                emb = toDouble(SegPredictor.embeddings(net, img, norm));
            }
            Segmenter.Prototypes p;
            try (PhaseClock.Lap lap = clock.start("sorting")) {
                int[] codes = new int[labels.labels().length];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = labels.labels()[i] & 0xff;
                }
                p = clicks ? Segmenter.clickedPrototypes(emb, 0, depth, img.height(), img.width(), codes, plan.sorting())
                        : Segmenter.trainingPrototypes(emb, 0, depth, img.height(), img.width(), codes, plan.sorting());
            }
            List<Integer> labelList = new ArrayList<>(p.count());
            for (int l : p.labels()) {
                labelList.add(l);
            }
            List<Float> vectors = new ArrayList<>(p.vectors().length);
            for (double v : p.vectors()) {
                vectors.add((float) v);
            }
            return RowFactory.create(t.imageId(), depth, ManifestSchema.seq(labelList), ManifestSchema.seq(vectors));
        }, () -> phases.add(clock));
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
