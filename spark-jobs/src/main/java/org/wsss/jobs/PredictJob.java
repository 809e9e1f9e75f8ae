package org.wsss.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.crf.CrfParams;
import org.wsss.crf.CrfRefine;
import org.wsss.crf.DenseCrf;
import org.wsss.data.ImageCodec;
import org.wsss.metrics.PhaseClock;
import org.wsss.data.LabelMask;
import org.wsss.data.QuarantineException;
import org.wsss.data.RgbImage;
import org.wsss.nn.InputNorm;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegPredictor;
import org.wsss.segsort.EmbeddingClassifier;
import org.wsss.segsort.Segmenter;
import org.wsss.spark.LabelMapSchema;
import org.wsss.spark.ManifestSchema;
import org.wsss.spark.ModelStore;
import org.wsss.spark.QuarantineTable;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.spark.ProgressListener;
import org.wsss.spark.RowStream;
import org.wsss.spark.SmallFiles;
import org.wsss.spark.SerializableHadoopConf;
import org.wsss.spark.train.EpochLoop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * {@code wsss predict}: the segmentation network on every image of the predict.splits at its full size, on
 * executors with the model loaded once per partition: class probabilities averaged over the test-time scales
 * and flips, optionally refined by the dense CRF (predict.crf, crf.* keys), then the argmax. A SegSort net has no
 * class scores of its own: predict.method = knn labels its segments by retrieval ({@link KnnPrediction}), and
 * predict.method = softmax-on-embedding scores its embedding with a softmax classifier fitted on the driver to
 * make-prototypes' table, then goes the same way as the class scores.
 * <pre>
 * labels (Parquet, one row per image): {@link LabelMapSchema#LABELS}
 * png/&lt;ImageIds.fileName(image_id)&gt;.png: the same masks as files (predict.write-png)
 * quarantine (Parquet): images that could not be decoded, {@link ManifestSchema#QUARANTINE}; they have no label row
 * </pre>
 */
public final class PredictJob implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);
    public static final String NAME = "predict";
    static final String DESCRIPTION = "Segments every image of predict.splits with the trained segmentation network on executors "
            + "(test-time scales and flips, optional dense CRF); writes <run-dir>/predict/labels (Parquet) "
            + "and VOC-palette PNGs.";
    /** The stage whose best model this one applies. */
    static final String MODEL_STAGE = TrainSegmentationJob.NAME;
    static final String MODEL = EpochLoop.MODEL;
    static final String KNN = "knn";
    static final String EMBEDDING_SOFTMAX = "softmax-on-embedding";
    /** The prototypes softmax-on-embedding fits on at most (a seeded sample of a larger table). */
    static final long EMBEDDING_FIT_MAX = 200_000;

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
        return List.of("predict", "crf", "segsort");
    }

    /** Every stage it may read: make-prototypes' table only with predict.method = knn or softmax-on-embedding. */
    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, MODEL_STAGE, MakePrototypesJob.NAME);
    }

    @Override
    public List<String> inputs(Settings s) {
        return onEmbedding(s) ? inputs() : List.of(IngestJob.NAME, MODEL_STAGE);
    }

    @Override
    public void validate(Settings s) {
        boolean classScores = TrainSegmentationJob.method(s).scoresClasses();
        String method = s.get(Params.Predict.METHOD);
        if (onEmbedding(s) && classScores) {
            throw new IllegalStateException("predict.method = " + method + " works on SegSort's embedding: it needs "
                    + "train.method = segsort, got train.method = " + s.get(Params.Train.METHOD));
        }
        if (!onEmbedding(s) && !classScores) {
            throw new IllegalStateException("train.method = " + s.get(Params.Train.METHOD) + " trains no class "
                    + "scores for predict.method = " + method + ": set predict.method = knn or "
                    + EMBEDDING_SOFTMAX);
        }
    }

    /** The CRF predict.crf-preset names: the crf.* keys (psa's), or SPML's published one. */
    static CrfParams crfParams(Settings s) {
        return s.get(Params.Predict.CRF_PRESET).equals("spml") ? CrfParams.SPML : MakeAffinityLabelsJob.crfParams(s);
    }

    static boolean onEmbedding(Settings s) {
        return knn(s) || s.get(Params.Predict.METHOD).equals(EMBEDDING_SOFTMAX);
    }

    static boolean knn(Settings s) {
        return s.get(Params.Predict.METHOD).equals(KNN);
    }

    /** What one partition needs besides its rows; serialised into the tasks. */
    private record Plan(double[] scales, boolean flip, CrfParams crf, int numLabels, String modelPath,
                        String pngDir, SerializableHadoopConf conf, EmbeddingClassifier head)
            implements java.io.Serializable {
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        List<String> splits = s.get(Params.Predict.SPLITS);
        Path modelPath = new Path(ctx.stageDir(MODEL_STAGE), MODEL);
        Map<String, Object> m = new LinkedHashMap<>();
        EmbeddingClassifier head = s.get(Params.Predict.METHOD).equals(EMBEDDING_SOFTMAX)
                ? fitOnPrototypes(ctx, IngestJob.classes(ctx).size() + 1, m) : null;
        Plan plan = new Plan(s.get(Params.Predict.SCALES).stream().mapToDouble(Double::doubleValue).toArray(),
                s.get(Params.Predict.FLIP),
                s.get(Params.Predict.CRF) ? crfParams(s) : null,
                IngestJob.classes(ctx).size() + 1, modelPath.toString(),
                s.get(Params.Predict.WRITE_PNG) ? new Path(ctx.stageDir(NAME), "png").toString() : null,
                new SerializableHadoopConf(ctx.hadoopConf()), head);
        Broadcast<byte[]> model = ctx.jsc().broadcast(ModelStore.readBytes(ctx, modelPath));

        Dataset<Row> images = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .filter(col("split").isin(splits.toArray())).select("image_id", "split", "image", "source");
        long count = images.count();
        if (count == 0) {
            throw new IllegalStateException("predict.splits = " + splits + " selects no image of "
                    + ctx.stagePath(IngestJob.NAME, "manifest") + "; choose splits that ingest read (dataset.splits)");
        }
        CollectionAccumulator<String[]> quarantined = ctx.spark().sparkContext().collectionAccumulator("predict-quarantine");
        PhaseAccumulator phases = PhaseAccumulator.register(ctx.spark().sparkContext(), NAME);
        JavaRDD<Row> rows;
        Dataset<Row> table = null;
        Broadcast<Segmenter.Prototypes> tableBroadcast = null;
        if (knn(s)) {
            KnnPrediction.Plan knnPlan = new KnnPrediction.Plan(MakePrototypesJob.sorting(s),
                    s.get(Params.Predict.KNN_K), plan.modelPath(), plan.pngDir(), plan.conf());
            table = KnnPrediction.table(ctx);
            Row totals = table.selectExpr("sum(size(labels))", "max(depth)").first();
            long prototypes = totals.isNullAt(0) ? 0 : totals.getLong(0);
            double tableMb = prototypes * (totals.isNullAt(1) ? 0 : totals.getInt(1)) * 8.0 / (1 << 20);
            boolean broadcast = tableMb <= s.get(Params.Predict.KNN_BROADCAST_MB);
            LOG.info("{}: knn over {} prototypes ({} MB as searched): {}", NAME, prototypes,
                    String.format("%.1f", tableMb), broadcast ? "broadcast to every task"
                            : "searched partition by partition (over predict.knn-broadcast-mb)");
            m.put("method", KNN);
            m.put("knn_k", knnPlan.k());
            m.put("knn_prototypes", prototypes);
            m.put("knn_table_mb", tableMb);
            m.put("knn_search", broadcast ? "broadcast" : "partitionwise");
            if (broadcast) {
                tableBroadcast = ctx.jsc().broadcast(KnnPrediction.collect(table));
                rows = KnnPrediction.withBroadcast(images.javaRDD(), model, tableBroadcast, knnPlan, quarantined,
                        phases);
            } else {
                rows = KnnPrediction.partitionwise(images.javaRDD(), model, table, knnPlan, quarantined, phases);
            }
        } else {
            m.putIfAbsent("method", s.get(Params.Predict.METHOD));
            rows = images.javaRDD().mapPartitions(it -> predictPartition(it, model.value(), plan, quarantined,
                    phases));
        }
        long t0 = System.nanoTime();
        ProgressListener progress = ProgressListener.start(ctx.spark().sparkContext(), NAME,
                rows.getNumPartitions(), count, s.get(Params.Runtime.PROGRESS_SECONDS));
        try (progress) {
            ctx.spark().createDataFrame(rows, LabelMapSchema.LABELS).write().parquet(ctx.stagePath(NAME, "labels"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        model.destroy();
        if (tableBroadcast != null) {
            tableBroadcast.destroy();
        }
        if (table != null) {
            table.unpersist();
        }
        int numQuarantined = QuarantineTable.write(ctx.spark(), NAME, ctx.stagePath(NAME, "quarantine"),
                quarantined.value());

        Map<String, Long> perSplit = QuarantineTable.imagesPerSplit(ctx.spark(), ctx.stagePath(NAME, "labels"));
        m.put("num_images", perSplit.values().stream().mapToLong(Long::longValue).sum());
        m.put("num_quarantined", numQuarantined);
        m.put("images_per_split", perSplit);
        m.put("images_per_second", count / Math.max(seconds, 1e-9));
        m.put("scales", s.get(Params.Predict.SCALES));
        m.put("flip", plan.flip());
        m.put("crf", plan.crf() != null);
        if (plan.crf() != null) {
            m.put("crf_preset", s.get(Params.Predict.CRF_PRESET));
        }
        m.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return m;
    }

    /**
     * softmax-on-embedding: the classifier fitted on the driver to make-prototypes' table (a seeded sample when the
     * table holds more than {@link #EMBEDDING_FIT_MAX} prototypes); its fit is recorded in {@code m}.
     */
    private static EmbeddingClassifier fitOnPrototypes(JobContext ctx, int numLabels, Map<String, Object> m) {
        Settings s = ctx.settings();
        Dataset<Row> table = KnnPrediction.table(ctx);
        Row total = table.selectExpr("sum(size(labels))").first();
        long prototypes = total.isNullAt(0) ? 0 : total.getLong(0);
        Dataset<Row> used = prototypes > EMBEDDING_FIT_MAX
                ? table.sample(false, (double) EMBEDDING_FIT_MAX / prototypes, s.get(Params.Train.SEED)) : table;
        Segmenter.Prototypes all = KnnPrediction.collect(used);
        table.unpersist();
        if (all.count() == 0) {
            throw new IllegalStateException("predict.method = " + EMBEDDING_SOFTMAX + ": make-prototypes' table has no "
                    + "prototype to fit the classifier on");
        }
        long t0 = System.nanoTime();
        EmbeddingClassifier head = EmbeddingClassifier.fit(all.vectors(), all.labels(), all.depth(), numLabels,
                new EmbeddingClassifier.Fit(s.get(Params.Predict.EMBEDDING_CLASSIFIER_ITERATIONS), 0.05, 1e-4));
        m.put("method", EMBEDDING_SOFTMAX);
        m.put("embedding_classifier_prototypes", all.count());
        m.put("embedding_classifier_train_accuracy", head.accuracy(all.vectors(), all.labels()));
        m.put("embedding_classifier_seconds", (System.nanoTime() - t0) / 1e9);
        LOG.info("{}: softmax classifier fitted on {} of {} prototypes (train accuracy {})", NAME, all.count(),
                prototypes, m.get("embedding_classifier_train_accuracy"));
        return head;
    }

    private static Iterator<Row> predictPartition(Iterator<Row> it, byte[] modelBytes, Plan plan,
                                                  CollectionAccumulator<String[]> quarantined,
                                                  PhaseAccumulator phases) throws Exception {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        PhaseClock clock = new PhaseClock();
        ModelStore.Loaded model = ModelStore.load(modelBytes, clock);
        ComputationGraph net = model.net();
        InputNorm norm = model.norm();
        int scored = SegNets.numScoredClasses(net);
        if (scored != plan.numLabels()) {
            throw new IllegalStateException("the model " + plan.modelPath() + " scores " + scored
                    + " classes but ingest/classes.json lists " + (plan.numLabels() - 1) + " classes + background");
        }
        DenseCrf crf = plan.crf() == null ? null : new DenseCrf(plan.crf());
        FileSystem fs = plan.pngDir() == null ? null : new Path(plan.pngDir()).getFileSystem(plan.conf().get());
        return RowStream.map(it, r -> {
            String id = r.getString(0);
            RgbImage img = decodeOrQuarantine(r, quarantined, clock);
            if (img == null) {
                return null;
            }
            byte[] labels = labelMap(net, norm, img, plan.scales(), plan.flip(), crf, clock, plan.head());
            byte[] mask;
            try (PhaseClock.Lap lap = clock.start("png")) {
                mask = ImageCodec.encodePaletteMask(new LabelMask(img.width(), img.height(), labels));
                if (fs != null) {
                    SmallFiles.write(fs, new Path(plan.pngDir(), LabelMapSchema.pngName(id)), mask);
                }
            }
            return RowFactory.create(id, r.getString(1), img.width(), img.height(), mask);
        }, () -> phases.add(clock));
    }

    /**
     * A manifest row's image (image_id, split, image, source), or null when it cannot be decoded: one undecodable
     * image must not fail the stage, so it is recorded with its reason and left without a prediction.
     */
    static RgbImage decodeOrQuarantine(Row r, CollectionAccumulator<String[]> quarantined, PhaseClock clock) {
        String id = r.getString(0);
        try (PhaseClock.Lap lap = clock.start("decode")) {
            return ImageCodec.decode((byte[]) r.get(2), id).image();
        } catch (QuarantineException | RuntimeException e) {
            String reason = e instanceof QuarantineException q ? q.reason() : "unexpected error: " + e;
            quarantined.add(new String[]{id, r.getString(3), reason});
            return null;
        }
    }

    /**
     * Labels 0..K-1 of one image: the test-time averaged probabilities, CRF-refined when crf is given; its phases
     * timed on {@code clock} (null: untimed).
     */
    static byte[] labelMap(ComputationGraph net, InputNorm norm, RgbImage img, double[] scales, boolean flip,
                           DenseCrf crf, PhaseClock clock) {
        return labelMap(net, norm, img, scales, flip, crf, clock, null);
    }

    /** {@link #labelMap}, scored by {@code head} on the net's embedding when given (softmax-on-embedding). */
    static byte[] labelMap(ComputationGraph net, InputNorm norm, RgbImage img, double[] scales, boolean flip,
                           DenseCrf crf, PhaseClock clock, EmbeddingClassifier head) {
        int k = head == null ? SegNets.numScoredClasses(net) : head.classes();
        float[] probs = SegPredictor.predict(net, img, scales, flip, norm, clock, head);
        if (crf == null) {
            try (PhaseClock.Lap lap = PhaseClock.start(clock, "argmax")) {
                return SegPredictor.argmax(probs, k, img.height(), img.width());
            }
        }
        int[] labelOfRow = new int[k - 1];
        for (int c = 1; c < k; c++) {
            labelOfRow[c - 1] = c;
        }
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "crf")) {
            return CrfRefine.labels(crf, img, probs, k, labelOfRow);
        }
    }

}
