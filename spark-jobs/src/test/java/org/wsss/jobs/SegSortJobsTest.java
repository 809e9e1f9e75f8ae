package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.data.ImageCodec;
import org.wsss.segsort.SegSortNets;
import org.wsss.segsort.SegmentSortingLoss;
import org.wsss.spark.ModelStore;

/**
 * SegSort through the stages on a tiny synthetic set, with the ground-truth masks standing in for random-walk's
 * pseudo-labels (SegSort's fully supervised setting): train-segmentation with train.method = segsort,
 * make-prototypes, predict with predict.method = knn both ways of searching the table, evaluate.
 */
class SegSortJobsTest {

    @TempDir
    static Path run;

    /** Further run directories of the tests that branch off {@code run}: a temporary folder JUnit removes. */
    @TempDir
    static Path others;

    static final List<String> BASE = List.of("dataset.synthetic.count=40", "dataset.synthetic.size=48",
            "dataset.synthetic.val-fraction=0.25", "train.input-size=48", "train.batch-size=4", "train.init=scratch",
            "train.averaging-frequency=1", "train.method=segsort", "predict.method=knn", "train.epochs=6",
            "train.optimizer=adam", "train.learning-rate=0.004", "train.head-lr-multiplier=1",
            "train.random-scale=[1.0, 1.0]", "predict.write-png=false");

    static Map<String, Object> stage(Stage st, String... sets) throws Exception {
        List<String> all = new ArrayList<>(BASE);
        all.addAll(List.of(sets));
        Settings s = ConfigLoader.load(List.of(), all);
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            return StageRunner.run(st, ctx).metrics();
        }
    }

    @BeforeAll
    static void ingestAndTrain() throws Exception {
        stage(new IngestJob());
        stage(new FixedLabelsStage(RandomWalkJob.NAME, r -> (byte[]) r.get(r.fieldIndex("mask"))));
        stage(new TrainSegmentationJob());
    }

    @Test
    void theModelCarriesTheSegmentSortingLossWithItsSettings() throws Exception {
        ComputationGraph net = ModelStore.fromBytes(Files.readAllBytes(run.resolve("train-segmentation/model.zip")),
                false);
        assertEquals(new SegmentSortingLoss(), SegSortNets.loss(net), "SegSort's defaults travel with the model");
        Map<String, Object> m = org.wsss.metrics.MetricsJson.parse(
                Files.readString(run.resolve("train-segmentation/metrics.json")));
        assertEquals("segsort", m.get("method"));
        assertTrue(!m.containsKey("val_miou"), "no class-score val mIoU for a net without class scores");
    }

    @Test
    void prototypesCarryExactlyTheLabelsOfTheirImagesAndPredictionsDoNotDependOnHowTheTableIsSearched()
            throws Exception {
        Map<String, Object> made = stage(new MakePrototypesJob());
        assertEquals(30L, ((Number) made.get("num_images")).longValue(), "the 30 training images");
        Map<String, byte[]> masks = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                .select("image_id", "mask").collectAsList()) {
            masks.put(r.getString(0), (byte[]) r.get(1));
        }
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("make-prototypes/prototypes").toString())
                .collectAsList()) {
            String id = r.getString(0);
            Set<Integer> present = new TreeSet<>();
            for (byte b : ImageCodec.decodeMask(masks.get(id), id).labels()) {
                if ((b & 0xff) != 255) {
                    present.add(b & 0xff);
                }
            }
            List<Integer> labels = r.getList(2);
            assertEquals(present, new TreeSet<>(labels), "segments of " + id + " split by its labels");
            List<Float> v = r.getList(3);
            int depth = r.getInt(1);
            for (int p = 0; p < labels.size(); p++) {
                double sq = 0;
                for (int d = 0; d < depth; d++) {
                    sq += v.get(p * depth + d) * v.get(p * depth + d);
                }
                assertEquals(1.0, sq, 1e-4, "prototype " + p + " of " + id + " is a unit vector");
            }
        }

        Map<String, Object> broadcast = stage(new PredictJob());
        assertEquals("broadcast", broadcast.get("knn_search"));
        Map<String, byte[]> first = predictions();
        Map<String, Object> scored = stage(new EvaluateJob());
        double miou = ((Number) scored.get("miou")).doubleValue();
        Map<String, Object> split = stage(new PredictJob(), "predict.knn-broadcast-mb=0");
        assertEquals("partitionwise", split.get("knn_search"));
        Map<String, byte[]> second = predictions();
        assertEquals(first.keySet(), second.keySet());
        for (String id : first.keySet()) {
            assertTrue(java.util.Arrays.equals(ImageCodec.decodeMask(first.get(id), id).labels(),
                    ImageCodec.decodeMask(second.get(id), id).labels()), "labels of " + id);
        }
        System.out.println("segsort jobs: val mIoU by retrieval " + miou);
        assertTrue(miou > 0.3, "val mIoU by retrieval " + miou);

        // the softmax classifier on the same frozen embedding, fitted to the same table, single scale, no CRF
        Map<String, Object> onEmbedding = stage(new PredictJob(), "predict.method=softmax-on-embedding",
                "predict.scales=[1.0]", "predict.flip=false", "predict.crf=false");
        assertEquals("softmax-on-embedding", onEmbedding.get("method"));
        assertEquals(((Number) made.get("num_prototypes")).longValue(),
                ((Number) onEmbedding.get("embedding_classifier_prototypes")).longValue());
        double fitted = ((Number) onEmbedding.get("embedding_classifier_train_accuracy")).doubleValue();
        double softmaxMiou = ((Number) stage(new EvaluateJob(), "predict.method=softmax-on-embedding",
                "predict.scales=[1.0]", "predict.flip=false", "predict.crf=false").get("miou")).doubleValue();
        System.out.println("segsort jobs: softmax on the embedding, prototype accuracy " + fitted + ", val mIoU "
                + softmaxMiou);
        assertTrue(fitted > 0.8, "the classifier fits the prototypes it was fitted on: accuracy " + fitted);
        assertTrue(softmaxMiou > 0.3, "val mIoU of the softmax on the embedding " + softmaxMiou);
    }

    /** Points: clusters take the label of the clicks in them, so a prototype's label is one of its image's clicks. */
    @Test
    void withPointsEveryPrototypeCarriesALabelClickedInItsImage() throws Exception {
        Path other = others.resolve("points");
        List<String> all = new ArrayList<>(BASE);
        all.addAll(List.of("train.supervision=points", "train.points-source=gt-sample", "train.epochs=2"));
        Settings s = ConfigLoader.load(List.of(), all);
        try (JobContext ctx = new JobContext(s, other.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
            Map<String, Object> trained = StageRunner.run(new TrainSegmentationJob(), ctx).metrics();
            assertEquals("points", trained.get("supervision"));
            assertTrue(SegSortNets.loss(ModelStore.fromBytes(Files.readAllBytes(
                    other.resolve("train-segmentation/model.zip")), false)).isFromPoints());
            Map<String, Object> made = StageRunner.run(new MakePrototypesJob(), ctx).metrics();
            assertTrue(((Number) made.get("num_prototypes")).longValue() > 0);
            Map<String, Set<Integer>> clicked = new HashMap<>();
            TrainSegmentationJob.trainingImages(ctx, s, "points").collect().forEach(t -> {
                Set<Integer> labels = new TreeSet<>();
                for (int i = 2; i < t.points().length; i += 3) {
                    labels.add(t.points()[i]);
                }
                clicked.put(t.imageId(), labels);
            });
            for (Row r : SparkTestSession.get().read().parquet(other.resolve("make-prototypes/prototypes").toString())
                    .collectAsList()) {
                List<Integer> labels = r.getList(2);
                assertTrue(clicked.get(r.getString(0)).containsAll(labels), r.getString(0) + ": prototypes "
                        + labels + ", clicks " + clicked.get(r.getString(0)));
            }
            assertEquals("broadcast", StageRunner.run(new PredictJob(), ctx).metrics().get("knn_search"));
        }
    }

    /**
     * Unsupervised: the net trains on superpixels alone; make-prototypes labels its segments by the masks
     * (segsort.prototype-labels), so every image's prototypes carry exactly its mask's labels, and predict retrieves.
     */
    @Test
    void unsupervisedTrainsWithoutLabelsAndItsPrototypesTakeTheLabelsNamed() throws Exception {
        Path other = others.resolve("unsupervised");
        List<String> all = new ArrayList<>(BASE);
        all.addAll(List.of("train.supervision=unsupervised", "segsort.prototype-labels=masks", "train.epochs=2"));
        Settings s = ConfigLoader.load(List.of(), all);
        assertEquals(List.of(IngestJob.NAME, TrainSegmentationJob.NAME), new MakePrototypesJob().inputs(s));
        assertEquals(List.of(IngestJob.NAME), new TrainSegmentationJob().inputs(s), "no labels, no walk");
        Settings fromPseudo = ConfigLoader.load(List.of(), List.of("train.method=segsort",
                "train.supervision=unsupervised"));
        assertTrue(new MakePrototypesJob().inputs(fromPseudo).contains(RandomWalkJob.NAME),
                "prototypes labelled by pseudo-labels (the default) need the walk");
        assertTrue(new TrainSegmentationJob().inputs(ConfigLoader.load(List.of(), List.of("train.supervision=tags")))
                .contains(RandomWalkJob.NAME), "tags is pseudo-labels by another name");
        try (JobContext ctx = new JobContext(s, other.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
            Map<String, Object> trained = StageRunner.run(new TrainSegmentationJob(), ctx).metrics();
            assertEquals("unsupervised", trained.get("supervision"));
            assertEquals(30, ((Number) trained.get("num_images")).intValue(), "every training image, no labels needed");
            assertTrue(SegSortNets.loss(ModelStore.fromBytes(Files.readAllBytes(
                    other.resolve("train-segmentation/model.zip")), false)).isFromRegions());
            Map<String, Object> made = StageRunner.run(new MakePrototypesJob(), ctx).metrics();
            assertEquals("masks", made.get("labels"));
            Map<String, Set<Integer>> present = new HashMap<>();
            for (TrainSegmentationJob.TrainingImage t : TrainSegmentationJob.trainingImages(ctx, s, "masks")
                    .collect()) {
                Set<Integer> labels = new TreeSet<>();
                for (byte b : ImageCodec.decodeMask(t.pseudoLabel(), t.imageId()).labels()) {
                    if ((b & 0xff) != 255) {
                        labels.add(b & 0xff);
                    }
                }
                present.put(t.imageId(), labels);
            }
            for (Row r : SparkTestSession.get().read().parquet(other.resolve("make-prototypes/prototypes").toString())
                    .collectAsList()) {
                List<Integer> labels = r.getList(2);
                assertEquals(present.get(r.getString(0)), new TreeSet<>(labels), r.getString(0));
            }
            assertEquals("broadcast", StageRunner.run(new PredictJob(), ctx).metrics().get("knn_search"));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stage(new TrainSegmentationJob(), "train.supervision=unsupervised", "train.method=softmax",
                        "predict.method=softmax"));
        assertEquals("train.supervision = unsupervised needs train.method = segsort (a softmax net has no labels to "
                + "learn from then), got train.method = softmax", e.getMessage());
    }

    /**
     * SPML through the stages on the same labels: the model carries SPML's loss with one tag flag per class,
     * make-prototypes and retrieval run on its embedding, and retrieval segments val images better than nothing
     * learnt would. Measured on this set (6 epochs of 30 images): 0.24 with SPML's defaults, 0.37 without the
     * co-occurrence term, 0.50 with the annotation term alone (weight 1, concentration 10), against SegSort's 0.55:
     * these small scenes share their few classes, so nearly every pair of images shares a tag and co-occurrence
     * pulls their segments together.
     */
    @Test
    void spmlTrainsItsEmbeddingAndRetrievesThroughTheSameStages() throws Exception {
        Path other = others.resolve("spml");
        List<String> all = new ArrayList<>(BASE);
        all.addAll(List.of("train.method=spml"));
        Settings s = ConfigLoader.load(List.of(), all);
        try (JobContext ctx = new JobContext(s, other.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
            StageRunner.run(new FixedLabelsStage(RandomWalkJob.NAME, r -> (byte[]) r.get(r.fieldIndex("mask"))), ctx);
            Map<String, Object> trained = StageRunner.run(new TrainSegmentationJob(), ctx).metrics();
            assertEquals("spml", trained.get("method"));
            ComputationGraph net = ModelStore.fromBytes(Files.readAllBytes(
                    other.resolve("train-segmentation/model.zip")), false);
            assertTrue(SegSortNets.sortsSegments(net));
            assertEquals(IngestJob.classes(ctx).size(), ((org.wsss.segsort.SpmlLoss) ((org.deeplearning4j.nn.conf
                    .layers.LossLayer) net.getLayer(org.wsss.seg.SegNets.EMB_LOSS).conf().getLayer()).getLossFn())
                    .getTags(), "one tag flag per class");
            assertTrue(((Number) StageRunner.run(new MakePrototypesJob(), ctx).metrics().get("num_prototypes"))
                    .longValue() > 0);
            StageRunner.run(new PredictJob(), ctx);
            double miou = ((Number) StageRunner.run(new EvaluateJob(), ctx).metrics().get("miou")).doubleValue();
            System.out.println("spml jobs: val mIoU by retrieval " + miou);
            assertTrue(miou > 0.2, "val mIoU by retrieval after SPML " + miou);
        }
    }

    @Test
    void combinationsThatCannotWorkAreRefusedNamingTheSettings() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stage(new TrainSegmentationJob(), "train.select=holdout"));
        assertEquals("train.method = segsort trains no class scores to choose an epoch by: it needs train.select = "
                + "last, got holdout", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> stage(new PredictJob(), "predict.method=softmax"));
        assertEquals("train.method = segsort trains no class scores for predict.method = softmax: set "
                + "predict.method = knn or softmax-on-embedding", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> stage(new PredictJob(), "train.method=softmax"));
        assertEquals("predict.method = knn works on SegSort's embedding: it needs train.method = segsort, got "
                + "train.method = softmax", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> stage(new PredictJob(), "train.method=softmax",
                "predict.method=softmax-on-embedding"));
        assertEquals("predict.method = softmax-on-embedding works on SegSort's embedding: it needs train.method = "
                + "segsort, got train.method = softmax", e.getMessage());
    }

    private static Map<String, byte[]> predictions() {
        Map<String, byte[]> out = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("predict/labels").toString())
                .select("image_id", "mask").collectAsList()) {
            out.put(r.getString(0), (byte[]) r.get(1));
        }
        return out;
    }
}
