package org.wsss.jobs;

import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.metrics.MetricsJson;
import org.wsss.seg.SegNets;
import org.wsss.spark.ModelStore;
import org.wsss.train.EpochPlan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** train-segmentation on a tiny synthetic set: points (PDML) from scratch, and pseudo-labels from a stand-in walk. */
class TrainSegmentationJobTest {

    @TempDir
    static Path run;

    /** Further run directories of the tests that branch off {@code run}: a temporary folder JUnit removes. */
    @TempDir
    static Path others;

    static final List<String> BASE = List.of("dataset.synthetic.count=24", "dataset.synthetic.size=48",
            "dataset.synthetic.val-fraction=0.25", "train.input-size=48", "train.batch-size=4", "train.init=scratch",
            "train.averaging-frequency=1");

    static Map<String, Object> stage(Stage st, String... sets) throws Exception {
        List<String> all = new ArrayList<>(BASE);
        all.addAll(List.of(sets));
        Settings s = ConfigLoader.load(List.of(), all);
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            return StageRunner.run(st, ctx).metrics();
        }
    }

    @BeforeAll
    static void ingest() throws Exception {
        stage(new IngestJob());
    }

    @Test
    @SuppressWarnings("unchecked")
    void pointSupervisionWithTripletsAndOnlineExtensionTrainsAndKeepsTheLastEpoch() throws Exception {
        Map<String, Object> m = stage(new TrainSegmentationJob(), "train.supervision=points",
                "train.points-source=gt-sample", "train.epochs=2");
        assertEquals("points", m.get("supervision"));
        assertEquals(18L, ((Number) m.get("num_images")).longValue());
        assertEquals(6L, ((Number) m.get("num_val_images")).longValue());
        // every image has at least its background region and one object
        assertTrue(((Number) m.get("num_points")).longValue() >= 36, "points " + m.get("num_points"));
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) m.get("epochs");
        assertEquals(2, epochs.size());
        assertFalse(epochs.get(0).containsKey("extended_pixels_per_image"), "no extension before the first epoch");
        assertTrue(epochs.get(1).containsKey("extended_pixels_per_image"));
        // train.select = last (the default): val is scored for the report only and chooses nothing
        assertEquals("last", m.get("selected_by"));
        assertEquals("none", m.get("selection_split"));
        assertEquals(1, ((Number) m.get("selected_epoch")).intValue());
        assertEquals(0L, ((Number) m.get("num_holdout_images")).longValue());
        assertEquals(((Number) epochs.get(1).get("val_miou")).doubleValue(), ((Number) m.get("val_miou")).doubleValue(),
                0.0, "the reported val mIoU is the last epoch's");
        Path dir = run.resolve("train-segmentation");
        ComputationGraph net = ModelStore.fromBytes(Files.readAllBytes(dir.resolve("model.zip")), false);
        ComputationGraph last = ModelStore.fromBytes(Files.readAllBytes(dir.resolve("checkpoints/epoch-001.zip")), false);
        assertEquals(last.params(), net.params(), "model.zip holds the last epoch's parameters");
        assertEquals(7, SegNets.numScoredClasses(net), "background + the generator's 6 classes");
        assertEquals(20.0, SegNets.tripletLoss(net).getMargin(), "PDML's margin travels with the model");
        Map<String, Object> onDisk = MetricsJson.parse(Files.readString(dir.resolve("metrics.json")));
        assertEquals(m.get("selected_epoch"), onDisk.get("selected_epoch"));
    }

    /**
     * Pseudo-labels that say "background" everywhere, and the epoch chosen on a held-out slice of the train split:
     * the trained net must predict background on every pixel, so the held-out slice, scored against its
     * pseudo-labels (not its ground truth), reaches pixel accuracy and mIoU 1, the first epoch to reach them is the one
     * kept, and the last epoch's val pixel accuracy is the background share of the val ground truth, counted here.
     */
    @Test
    @SuppressWarnings("unchecked")
    void holdoutSelectionScoresTheTrainSlicesPseudoLabelsAndNeverTrainsOnThem() throws Exception {
        stage(new FixedLabelsStage(RandomWalkJob.NAME, r -> ImageCodec.encodePaletteMask(new LabelMask(
                r.getInt(r.fieldIndex("width")), r.getInt(r.fieldIndex("height")),
                new byte[r.getInt(r.fieldIndex("width")) * r.getInt(r.fieldIndex("height"))]))));
        Map<String, Object> m = stage(new TrainSegmentationJob(), "train.supervision=pseudo-labels",
                "train.epochs=8", "train.optimizer=adam", "train.learning-rate=0.01", "train.head-lr-multiplier=1",
                "train.random-scale=[1.0, 1.0]", "train.select=holdout", "train.holdout-fraction=0.3");
        List<String> trainIds = SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                .filter("split = 'train'").select("image_id").collectAsList().stream().map(r -> r.getString(0)).toList();
        long held = trainIds.stream().filter(id -> EpochPlan.isHoldout(id, 0.3)).count();
        assertTrue(held > 0 && held < trainIds.size(), "held out " + held + " of " + trainIds.size());
        assertEquals(trainIds.size() - held, ((Number) m.get("num_images")).longValue(), "held-out images are not trained on");
        assertEquals(held, ((Number) m.get("num_holdout_images")).longValue());
        assertEquals("holdout:train", m.get("selected_by"));
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) m.get("epochs");
        int firstPerfect = -1;
        for (int e = 0; e < epochs.size() && firstPerfect < 0; e++) {
            firstPerfect = ((Number) epochs.get(e).get("holdout_pixel_accuracy")).doubleValue() == 1.0 ? e : -1;
        }
        assertTrue(firstPerfect >= 0, "no epoch predicts background on the whole held-out slice: " + epochs);
        assertEquals(firstPerfect, ((Number) m.get("selected_epoch")).intValue());
        assertEquals(1.0, ((Number) m.get("holdout_miou")).doubleValue(), 0.0);
        long background = 0, labelled = 0;
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                .filter("split = 'val'").select("image_id", "mask").collectAsList()) {
            for (byte b : ImageCodec.decodeMask((byte[]) r.get(1), r.getString(0)).labels()) {
                int v = b & 0xff;
                labelled += v != 255 ? 1 : 0;
                background += v == 0 ? 1 : 0;
            }
        }
        assertEquals(background / (double) labelled,
                ((Number) epochs.get(epochs.size() - 1).get("val_pixel_accuracy")).doubleValue(), 1e-9);
    }

    @Test
    void pseudoLabelsWithoutARandomWalkOutputFailNamingTheMissingStage() {
        Path other = others.resolve("nowalk");
        Exception e = assertThrows(Exception.class, () -> {
            Settings s = ConfigLoader.load(List.of(), BASE);
            try (JobContext ctx = new JobContext(s, other.toString(), SparkTestSession.get())) {
                StageRunner.run(new IngestJob(), ctx);
                StageRunner.run(new TrainSegmentationJob(), ctx);
            }
        });
        assertTrue(e.getMessage().contains("random-walk"), e.getMessage());
    }

    /** The fully supervised baseline: the train split's own masks, no random-walk output needed. */
    @Test
    void masksSupervisionTrainsOnTheTrainSplitsGroundTruthWithoutAWalk() throws Exception {
        Path other = others.resolve("masks");
        Settings s = ConfigLoader.load(List.of(), concat(BASE, "train.supervision=masks", "train.epochs=1"));
        try (JobContext ctx = new JobContext(s, other.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
            Map<String, Object> m = StageRunner.run(new TrainSegmentationJob(), ctx).metrics();
            assertEquals("masks", m.get("supervision"));
            long withMasks = SparkTestSession.get().read().parquet(other.resolve("ingest/manifest").toString())
                    .filter("split = 'train' and mask is not null").count();
            assertEquals(withMasks, ((Number) m.get("num_images")).longValue());
            assertEquals(0L, ((Number) m.get("num_points")).longValue());
            assertFalse(Files.exists(other.resolve("random-walk")), "no walk was run or read");
        }
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void tripletsNeedTwoImagesPerMinibatch() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> stage(new TrainSegmentationJob(),
                "train.supervision=points", "train.points-source=gt-sample", "train.batch-size=1"));
        assertTrue(e.getMessage().contains("train.batch-size"), e.getMessage());
    }

    @Test
    void networkAndOutputStrideCombinationsAreCheckedBeforeAnyDataIsRead() {
        IllegalStateException small16 = assertThrows(IllegalStateException.class, () -> stage(
                new TrainSegmentationJob(), "train.output-stride=16"));
        assertTrue(small16.getMessage().contains("train.output-stride = 16")
                && small16.getMessage().contains("train.network = deeplab"), small16.getMessage());
        // the small net's decoder joins stride-8 features to the stride-4 level: crops must be multiples of 8
        IllegalStateException crop = assertThrows(IllegalStateException.class, () -> stage(
                new TrainSegmentationJob(), "train.input-size=44"));
        assertTrue(crop.getMessage().contains("train.input-size = 44") && crop.getMessage().contains("multiple of 8"),
                crop.getMessage());
        // DeepLab starts from a ResNet-50 classifier: the small one has no layer it could copy
        IllegalStateException init = assertThrows(IllegalStateException.class, () -> stage(
                new TrainSegmentationJob(), "train.init=classifier", "train.network=deeplab"));
        assertTrue(init.getMessage().contains("classifier.network = resnet50")
                && init.getMessage().contains("got classifier.network = small"), init.getMessage());
        IllegalStateException init2 = assertThrows(IllegalStateException.class, () -> stage(
                new TrainSegmentationJob(), "train.init=classifier", "classifier.network=resnet50"));
        assertTrue(init2.getMessage().contains("train.network = small needs classifier.network = small"),
                init2.getMessage());
    }
}
