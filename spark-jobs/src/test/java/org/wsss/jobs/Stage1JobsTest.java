package org.wsss.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.cam.FloatBytes;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.nn.ImageTensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** train-classifier, make-cams and eval-cams on a small synthetic set, in a local Spark. */
class Stage1JobsTest {

    @TempDir
    static Path run;

    static final String[] SETS = {"dataset.synthetic.count=48", "dataset.synthetic.size=64",
            "classifier.epochs=2", "classifier.input-size=64", "classifier.batch-size=8",
            "classifier.holdout-fraction=0.2", "classifier.balance=up", "cam.scales=[1.0, 0.5]",
            "cam.sample-heatmaps=2"};

    static StageRunner.Outcome stage(Stage st) throws Exception {
        return stage(st, run);
    }

    static StageRunner.Outcome stage(Stage st, Path runDir) throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of(SETS));
        try (JobContext ctx = new JobContext(s, runDir.toString(), SparkTestSession.get())) {
            return StageRunner.run(st, ctx);
        }
    }

    @BeforeAll
    static void stages() throws Exception {
        stage(new IngestJob());
        stage(new TrainClassifierJob());
        stage(new MakeCamsJob());
        stage(new EvalCamsJob());
    }

    /** Default classifier.select = last: model.zip holds the last epoch's parameters and the F1 reported is its. */
    @Test
    void classifierRecordsEveryEpochAndKeepsTheLastModel() throws Exception {
        JsonNode m = new ObjectMapper().readTree(run.resolve("train-classifier/metrics.json").toFile());
        assertEquals(2, m.get("epochs").size());
        for (JsonNode e : m.get("epochs")) {
            assertTrue(e.get("train_loss").asDouble() > 0);
            double f1 = e.get("holdout_micro_f1").asDouble();
            assertTrue(f1 >= 0 && f1 <= 1, "F1 " + f1);
            double map = e.get("holdout_map").asDouble();
            assertTrue(map > 0 && map <= 1, "mAP " + map);
            assertTrue(e.get("holdout_chance_map").asDouble() > 0);
        }
        long valImages = SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                .filter("split = 'val'").count();
        assertTrue(valImages > 0);
        assertEquals(valImages, m.get("num_val").asLong());
        for (String k : List.of("val_micro_f1", "val_map", "val_chance_map")) {
            double v = m.get(k).asDouble();
            assertTrue(v > 0 && v <= 1, k + " " + v);
            assertEquals(m.get("epochs").get(1).get(k).asDouble(), v, 1e-12, k);
        }
        assertEquals("last", m.get("selected_by").asText());
        assertEquals(1, m.get("selected_epoch").asInt());
        assertEquals(m.get("epochs").get(1).get("holdout_micro_f1").asDouble(),
                m.get("holdout_micro_f1").asDouble(), 1e-12);
        INDArray kept = ModelSerializer.restoreComputationGraph(run.resolve("train-classifier/model.zip").toFile(),
                false).params();
        INDArray last = ModelSerializer.restoreComputationGraph(
                run.resolve("train-classifier/checkpoints/epoch-001.zip").toFile(), false).params();
        INDArray first = ModelSerializer.restoreComputationGraph(
                run.resolve("train-classifier/checkpoints/epoch-000.zip").toFile(), false).params();
        assertEquals(last, kept);
        assertNotEquals(first, kept);
        // the underfit check compares the kept epoch's train loss with the constant answer's (UnderfitCheckTest
        // checks that loss itself); with 6 classes and positive weights >= 1 it lies in (0, 6 * 2 ln 2]
        JsonNode u = m.get("underfit");
        double constant = m.get("constant_answer_loss").asDouble();
        assertTrue(constant > 0 && constant <= 6 * 2 * Math.log(2) + 1e-9, "constant answer loss " + constant);
        assertEquals(constant, u.get("constant_answer_loss").asDouble(), 1e-12);
        double lastLoss = m.get("epochs").get(1).get("train_loss").asDouble();
        assertEquals(lastLoss / constant, u.get("ratio").asDouble(), 1e-9);
        assertEquals(lastLoss / constant > 0.9, u.get("underfit").asBoolean(), u.toString());
    }

    @Test
    void holdoutSelectionWithoutAHoldoutIsRefusedBeforeTraining() {
        Settings s = ConfigLoader.load(List.of(), List.of("classifier.select=holdout", "classifier.holdout-fraction=0"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainClassifierJob().validate(s));
        assertTrue(e.getMessage().contains("classifier.select = holdout")
                && e.getMessage().contains("classifier.holdout-fraction"), e.getMessage());
    }

    /**
     * Balanced epochs repeat images, so an epoch has more examples than the manifest has training images; the poly
     * decay still runs once over the rounds the epochs really have: rate = base * (1 - t / T)^power.
     */
    @Test
    void balancedEpochsDecayTheLearningRateOnceOverTheirOwnRounds() throws Exception {
        JsonNode m = new ObjectMapper().readTree(run.resolve("train-classifier/metrics.json").toFile());
        Settings s = ConfigLoader.load(List.of(), List.of(SETS));
        long perRound = (long) m.get("workers").asInt() * s.get(Params.Classifier.BATCH_SIZE)
                * s.get(Params.Classifier.AVERAGING_FREQUENCY);
        JsonNode epochs = m.get("epochs");
        long[] rounds = new long[epochs.size()];
        long total = 0;
        for (int e = 0; e < rounds.length; e++) {
            long examples = epochs.get(e).get("examples").asLong();
            assertTrue(examples > m.get("num_images").asLong(), "epoch " + e + ": balancing added no repeats");
            rounds[e] = (examples + perRound - 1) / perRound;
            total += rounds[e];
        }
        double base = s.get(Params.Classifier.LEARNING_RATE);
        double power = s.get(Params.Classifier.POLY_POWER);
        long done = 0;
        for (int e = 0; e < rounds.length; e++) {
            done += rounds[e];
            double expected = base * Math.pow(1 - (done - 1) / (double) total, power);
            assertEquals(expected, epochs.get(e).get("last_learning_rate").asDouble(), 1e-12, "epoch " + e);
        }
        assertTrue(epochs.get(rounds.length - 1).get("last_learning_rate").asDouble() > 0);
    }

    /**
     * make-cams' metrics.json splits its task time into phases whose call counts follow from the work: one decode
     * per image, one forward pass per image and scale (the mirror rides in the same minibatch), the model loaded
     * once per task; the fractions, "other" included, add up to 1.
     */
    @Test
    void makeCamsSplitsItsTaskTimeIntoPhasesCountedPerImageAndScale() throws Exception {
        JsonNode m = new ObjectMapper().readTree(run.resolve("make-cams/metrics.json").toFile());
        Map<String, JsonNode> rows = new java.util.LinkedHashMap<>();
        double fractions = 0;
        double phaseSeconds = 0;
        for (JsonNode r : m.get("time_split")) {
            rows.put(r.get("phase").asText(), r);
            fractions += r.get("fraction").asDouble();
            phaseSeconds += r.get("task_seconds").asDouble();
        }
        assertEquals(List.of("model load", "decode", "resize", "network", "cam maps", "other"),
                List.copyOf(rows.keySet()));
        assertEquals(48, rows.get("decode").get("calls").asLong());
        assertEquals(48 * 2, rows.get("network").get("calls").asLong(), "cam.scales = [1.0, 0.5]");
        long loads = rows.get("model load").get("calls").asLong();
        assertTrue(loads >= 1 && loads <= 48, "model loads " + loads);
        assertEquals(1.0, fractions, 1e-9);
        assertEquals(m.get("task_seconds").asDouble(), phaseSeconds, 1e-6);
        assertTrue(m.get("task_cpu_seconds").asDouble() > 0, m.toString());
        assertTrue(rows.containsKey(m.get("largest_phase").asText()));
        for (JsonNode r : rows.values()) {
            assertTrue(r.get("task_seconds").asDouble() >= 0, r.toString());
        }
        JsonNode train = new ObjectMapper().readTree(run.resolve("train-classifier/metrics.json").toFile());
        assertEquals("examples", train.get("time_split").get(0).get("phase").asText());
        assertTrue(train.get("time_split").get(0).get("calls").asLong() >= 2, "two epochs: " + train);
    }

    /**
     * Every stage's metrics.json says what it cost: files_written and bytes_written match what a walk of its folder
     * finds (metrics.json, the commit marker and hidden side files aside), every task ended well, and make-cams
     * (no shuffle: a map over the manifest's partitions) ran at least one task per Parquet part file it wrote.
     */
    @Test
    void everyStageRecordsTheFilesAndTasksItCost() throws Exception {
        for (String stage : List.of("ingest", "train-classifier", "make-cams", "eval-cams")) {
            JsonNode r = new ObjectMapper().readTree(run.resolve(stage + "/metrics.json").toFile()).get("resources");
            assertNotNull(r, stage);
            Path dir = run.resolve(stage);
            List<Path> files;
            try (var walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).filter(p -> {
                    for (Path part : dir.relativize(p)) {
                        if (part.toString().startsWith(".")) {
                            return false;
                        }
                    }
                    String name = p.getFileName().toString();
                    return !name.equals("metrics.json") && !name.equals(StageMarker.FILE);
                }).toList();
            }
            long bytes = 0;
            for (Path p : files) {
                bytes += Files.size(p);
            }
            assertEquals(files.size(), r.get("files_written").asInt(), stage + ": " + r);
            assertEquals(bytes, r.get("bytes_written").asLong(), stage);
            assertTrue(r.get("tasks").asLong() >= 1, stage + ": " + r);
            assertEquals(0, r.get("failed_tasks").asLong(), stage);
            assertTrue(r.get("driver_peak_heap_used").asLong() > 0, stage);
        }
        JsonNode cams = new ObjectMapper().readTree(run.resolve("make-cams/metrics.json").toFile()).get("resources");
        long parts;
        try (var list = Files.list(run.resolve("make-cams/cams"))) {
            parts = list.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
        assertTrue(parts >= 1);
        assertTrue(cams.get("tasks").asLong() >= parts, cams.toString());
        assertTrue(cams.get("output_bytes").asLong() > 0, cams.toString());
    }

    @Test
    void camsHaveOneRowPerImageNormalisedPerClass() {
        List<Row> rows = SparkTestSession.get().read().parquet(run.resolve("make-cams/cams").toString()).collectAsList();
        assertEquals(48, rows.size());
        assertEquals(48, rows.stream().map(r -> r.getString(0)).distinct().count());
        for (Row r : rows) {
            List<Integer> classes = r.getList(r.fieldIndex("classes"));
            int gh = r.getInt(r.fieldIndex("grid_height")), gw = r.getInt(r.fieldIndex("grid_width"));
            assertEquals(8, r.getInt(r.fieldIndex("stride")));
            assertEquals(8, gh);
            float[] maps = FloatBytes.decode((byte[]) r.get(r.fieldIndex("cams")));
            assertEquals(classes.size() * gh * gw, maps.length);
            for (int k = 0; k < classes.size(); k++) {
                float max = 0;
                for (int i = 0; i < gh * gw; i++) {
                    float v = maps[k * gh * gw + i];
                    assertTrue(v >= 0 && v <= 1.0001f, "CAM value " + v);
                    max = Math.max(max, v);
                }
                assertTrue(max == 0f || Math.abs(max - 1f) < 1e-5, "each map is divided by its own max: " + max);
            }
            assertEquals(6, r.getList(r.fieldIndex("scores")).size());
        }
    }

    /**
     * Every sweep value is recomputed here from the CAM rows and the manifest's masks (upsampled with
     * ImageTensors.resizeMaps, labelled and counted by hand), and the reported mIoU is labelled an oracle and
     * equals the best recomputed value at the threshold it names.
     */
    @Test
    void evalCamsSweepMatchesAHandRecountAndIsLabelledAnOracle() throws Exception {
        JsonNode m = new ObjectMapper().readTree(run.resolve("eval-cams/metrics.json").toFile());
        for (String k : List.of("miou", "pixel_accuracy", "mean_accuracy", "per_class_iou", "num_images",
                "oracle_background_threshold", "note")) {
            assertTrue(m.has(k), "metrics.json lacks " + k);
        }
        assertTrue(m.get("miou_is_oracle").asBoolean());
        assertFalse(m.has("best_threshold"), "the oracle threshold must not pass for a tuned setting");
        assertEquals(48, m.get("num_images").asInt());
        Map<String, byte[]> masks = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString()).collectAsList()) {
            masks.put(r.getString(r.fieldIndex("image_id")), (byte[]) r.get(r.fieldIndex("mask")));
        }
        List<Row> cams = SparkTestSession.get().read().parquet(run.resolve("make-cams/cams").toString()).collectAsList();
        int labels = 7;
        double bestMiou = -1;
        float bestThreshold = Float.NaN;
        var sweep = m.get("miou_by_threshold").fields();
        int swept = 0;
        while (sweep.hasNext()) {
            var e = sweep.next();
            float t = Float.parseFloat(e.getKey());
            double miou = handMiou(cams, masks, labels, t);
            assertEquals(miou, e.getValue().asDouble(), 1e-9, "sweep value at " + t);
            if (miou > bestMiou) {
                bestMiou = miou;
                bestThreshold = t;
            }
            swept++;
        }
        assertEquals(Params.Cam.EVAL_THRESHOLDS.defaultValue().size(), swept);
        assertEquals(bestMiou, m.get("miou").asDouble(), 1e-9);
        assertEquals(bestThreshold, m.get("oracle_background_threshold").asDouble(), 1e-6);
        assertTrue(m.get("per_class_iou").has("background"));
        assertTrue(Files.list(run.resolve("make-cams/heatmaps")).count() >= 2);
    }

    /**
     * mIoU of CAMs with a constant background score t, counted pixel by pixel; an image with a mask but no CAM row
     * counts every labelled pixel as a miss of its class.
     */
    static double handMiou(List<Row> cams, Map<String, byte[]> masks, int labels, float t) throws Exception {
        long[] tp = new long[labels], gt = new long[labels], pred = new long[labels];
        Map<String, Row> byId = new HashMap<>();
        for (Row r : cams) {
            byId.put(r.getString(0), r);
        }
        for (Map.Entry<String, byte[]> entry : masks.entrySet()) {
            LabelMask truth = ImageCodec.decodeMask(entry.getValue(), entry.getKey());
            Row r = byId.get(entry.getKey());
            int n = truth.width() * truth.height();
            List<Integer> classes = r == null ? List.of() : r.getList(r.fieldIndex("classes"));
            float[] up = r == null ? null : ImageTensors.resizeMaps(FloatBytes.decode((byte[]) r.get(r.fieldIndex("cams"))),
                    classes.size(), r.getInt(r.fieldIndex("grid_height")), r.getInt(r.fieldIndex("grid_width")),
                    truth.height(), truth.width());
            for (int i = 0; i < n; i++) {
                int g = truth.labels()[i] & 0xff;
                if (g == 255) {
                    continue;
                }
                gt[g]++;
                if (r == null) {
                    continue;
                }
                int label = 0;
                float score = t;
                for (int k = 0; k < classes.size(); k++) {
                    if (up[k * n + i] > score) {
                        score = up[k * n + i];
                        label = classes.get(k);
                    }
                }
                pred[label]++;
                tp[g] += g == label ? 1 : 0;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < labels; c++) {
            if (gt[c] + pred[c] > 0) {
                sum += tp[c] / (double) (gt[c] + pred[c] - tp[c]);
                present++;
            }
        }
        return sum / present;
    }

    /** An image make-cams left out (quarantined) still counts in eval-cams, as all wrong, and is counted. */
    @Test
    void evalCamsCountsAnImageWithoutCamsAsAllWrong(@TempDir Path copy) throws Exception {
        Map<String, byte[]> masks = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString()).collectAsList()) {
            masks.put(r.getString(r.fieldIndex("image_id")), (byte[]) r.get(r.fieldIndex("mask")));
        }
        String missing = masks.keySet().stream().sorted().findFirst().orElseThrow();
        var camsTable = SparkTestSession.get().read().parquet(run.resolve("make-cams/cams").toString());
        camsTable.filter(camsTable.col("image_id").notEqual(missing)).write()
                .parquet(copy.resolve("make-cams/cams").toString());
        copyTree(run.resolve("ingest"), copy.resolve("ingest"));
        Files.copy(run.resolve("make-cams/_STAGE.json"), copy.resolve("make-cams/_STAGE.json"));
        List<Row> cams = SparkTestSession.get().read().parquet(copy.resolve("make-cams/cams").toString()).collectAsList();
        assertEquals(47, cams.size());

        Settings s = ConfigLoader.load(List.of(), List.of(SETS));
        Map<String, Object> m;
        try (JobContext ctx = new JobContext(s, copy.toString(), SparkTestSession.get())) {
            m = new EvalCamsJob().run(ctx);
        }
        assertEquals(1L, ((Number) m.get("num_missing_predictions")).longValue());
        assertEquals(48L, ((Number) m.get("num_images")).longValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> sweep = (Map<String, Object>) m.get("miou_by_threshold");
        for (Map.Entry<String, Object> e : sweep.entrySet()) {
            assertEquals(handMiou(cams, masks, 7, Float.parseFloat(e.getKey())), ((Number) e.getValue()).doubleValue(),
                    1e-9, "sweep value at " + e.getKey());
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void anInterruptedTrainingResumesFromItsLastCheckpoint(@TempDir Path copy) throws Exception {
        copyTree(run, copy);
        Path dir = copy.resolve("train-classifier");
        JsonNode before = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        // emulate a crash after epoch 0: no commit marker, the start marker and epoch 0's checkpoint state left
        String fingerprint = new ObjectMapper().readTree(dir.resolve("_STAGE.json").toFile()).get("fingerprint").asText();
        Files.delete(dir.resolve("_STAGE.json"));
        Files.writeString(dir.resolve(StageRunner.RUNNING), fingerprint);
        Files.delete(dir.resolve("checkpoints/epoch-001.zip"));
        ObjectMapper json = new ObjectMapper();
        var state = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("checkpoints/state.json").toFile());
        state.put("epoch", 0);
        state.put("best_epoch", 0);
        state.put("best_score", before.get("epochs").get(0).get("holdout_micro_f1").asDouble());
        ((com.fasterxml.jackson.databind.node.ArrayNode) state.get("history")).remove(1);
        Files.writeString(dir.resolve("checkpoints/state.json"), json.writeValueAsString(state));

        StageRunner.Outcome o = stage(new TrainClassifierJob(), copy);
        assertFalse(o.skipped());
        JsonNode after = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals(2, after.get("epochs").size());
        assertEquals(before.get("epochs").get(0).get("seconds").asDouble(),
                after.get("epochs").get(0).get("seconds").asDouble(), 0.0, "epoch 0 was not trained again");
        assertTrue(Files.exists(dir.resolve("checkpoints/epoch-001.zip")));
        assertTrue(Files.exists(dir.resolve("_STAGE.json")));
        assertFalse(Files.exists(dir.resolve(StageRunner.RUNNING)));
    }
}
