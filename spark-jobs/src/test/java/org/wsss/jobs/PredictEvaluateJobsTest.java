package org.wsss.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.data.ImageCodec;
import org.wsss.nn.TrainingHyper;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegPredictor;
import org.wsss.spark.ModelStore;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.*;

/**
 * predict and evaluate on a tiny synthetic run whose train-segmentation stage is faked by a randomly initialised
 * SegNets.small; evaluate is checked on predictions the test writes itself.
 */
class PredictEvaluateJobsTest {

    @TempDir
    static Path run;

    static final int SIZE = 40;
    /** The synthetic dataset's classes, background excluded. */
    static final int CLASSES = 6;
    static final List<String> SETS = List.of("dataset.synthetic.count=10", "dataset.synthetic.size=" + SIZE,
            "dataset.synthetic.val-fraction=0.4", "predict.splits=[train, val]", "predict.scales=[1.0]",
            "predict.flip=false", "predict.crf=false", "predict.write-png=true");

    static Set<String> valIds;
    static Set<String> allIds;

    /** Stands in for train-segmentation: its model.zip is a SegNets.small with random weights. */
    static final class FakeTrainSegmentation extends StandInStage {
        FakeTrainSegmentation() {
            super(PredictJob.MODEL_STAGE);
        }

        @Override
        public Map<String, Object> run(JobContext ctx) throws Exception {
            ComputationGraph net = SegNets.small(IngestJob.classes(ctx).size(), 3, TrainingHyper.smallNetDefaults());
            ModelStore.save(ctx, new org.apache.hadoop.fs.Path(ctx.stageDir(name()), PredictJob.MODEL), net, false);
            return Map.of();
        }
    }

    static StageRunner.Outcome stage(Stage st, Path runDir, List<String> extra) throws Exception {
        List<String> sets = new ArrayList<>(SETS);
        sets.addAll(extra);
        try (JobContext ctx = new JobContext(ConfigLoader.load(List.of(), sets), runDir.toString(),
                SparkTestSession.get())) {
            return StageRunner.run(st, ctx);
        }
    }

    /** After a deliberate edit of a committed stage's files: its marker records the folder as it now is. */
    static void recordFiles(Path runDir, String stage) throws Exception {
        try (JobContext ctx = new JobContext(ConfigLoader.load(List.of(), SETS), runDir.toString(),
                SparkTestSession.get())) {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(ctx.stageDir(stage), StageMarker.FILE);
            StageMarker m = StageMarker.parse(ctx.readText(file));
            ctx.writeText(file, new StageMarker(m.stage(), m.fingerprint(), m.inputs(), m.config(), m.started(),
                    m.finished(), m.seconds(), StageFiles.list(ctx.fs(), ctx.stageDir(stage)), m.rows()).toJson());
        }
    }

    static List<Row> manifest(String runDir) {
        return SparkTestSession.get().read().parquet(runDir + "/ingest/manifest").collectAsList();
    }

    static Map<String, Row> labels(Path runDir) {
        return SparkTestSession.get().read().parquet(runDir.resolve("predict/labels").toString()).collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    }

    @BeforeAll
    static void stages() throws Exception {
        stage(new IngestJob(), run, List.of());
        stage(new FakeTrainSegmentation(), run, List.of());
        stage(new PredictJob(), run, List.of());
        List<Row> m = manifest(run.toString());
        allIds = m.stream().map(r -> r.getString(0)).collect(Collectors.toSet());
        valIds = m.stream().filter(r -> r.getString(r.fieldIndex("split")).equals("val"))
                .map(r -> r.getString(0)).collect(Collectors.toSet());
        assertTrue(valIds.size() >= 2 && valIds.size() < allIds.size(),
                "the fixture needs train and at least 2 val images, got " + valIds.size() + " of " + allIds.size());
    }

    /** Copies the committed stages into a fresh run directory. */
    static Path copyOf(Path target, String... stages) throws IOException {
        for (String stage : stages) {
            try (var files = Files.walk(run.resolve(stage))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path t = target.resolve(run.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return target;
    }

    /** Pixel values of an 8-bit palette or grey PNG, read with ImageIO (not the project's codec). */
    static int[] pixelValues(byte[] png) throws IOException {
        Raster raster = ImageIO.read(new ByteArrayInputStream(png)).getRaster();
        return raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), 0, (int[]) null);
    }

    /** PASCAL VOC colours of labels 0..6, written out by hand. */
    static final int[] VOC_RGB = {0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080};

    @Test
    void predictWritesOneLabelMapPerImageAndMatchingVocPngs() throws Exception {
        Map<String, Row> rows = labels(run);
        assertEquals(allIds, rows.keySet());
        Set<Integer> seen = new TreeSet<>();
        for (Row r : rows.values()) {
            String id = r.getString(0);
            assertEquals(SIZE, r.getInt(r.fieldIndex("width")));
            assertEquals(SIZE, r.getInt(r.fieldIndex("height")));
            int[] values = pixelValues((byte[]) r.get(r.fieldIndex("mask")));
            assertEquals(SIZE * SIZE, values.length);
            for (int v : values) {
                assertTrue(v >= 0 && v <= CLASSES, id + ": label " + v);
            }
            for (int v : values) {
                seen.add(v);
            }
            Path png = run.resolve("predict/png/" + id + ".png");
            assertTrue(Files.exists(png), png.toString());
            BufferedImage file = ImageIO.read(png.toFile());
            assertInstanceOf(IndexColorModel.class, file.getColorModel());
            for (int i = 0; i < values.length; i++) {
                int rgb = file.getRGB(i % SIZE, i / SIZE) & 0xffffff;
                assertEquals(VOC_RGB[values[i]], rgb, id + " pixel " + i);
            }
        }
        // the random model's labels vary, so the palette comparison above covers more than one colour
        assertTrue(seen.size() >= 3, "labels seen: " + seen);
        JsonNode m = new ObjectMapper().readTree(run.resolve("predict/metrics.json").toFile());
        assertEquals(allIds.size(), m.get("num_images").asInt());
        assertEquals(0, m.get("num_quarantined").asInt());
        assertEquals(valIds.size(), m.get("images_per_split").get("val").asInt());
        assertEquals(0, SparkTestSession.get().read().parquet(run.resolve("predict/quarantine").toString()).count());
    }

    @Test
    void predictedLabelsAreTheArgmaxOfTheModelOnTheFullImage() throws Exception {
        ComputationGraph net = ModelStore.fromBytes(Files.readAllBytes(run.resolve("train-segmentation/model.zip")),
                false);
        Map<String, Row> rows = labels(run);
        for (Row r : manifest(run.toString()).subList(0, 2)) {
            String id = r.getString(0);
            float[] probs = SegPredictor.predict(net, ImageCodec.decodeRgb((byte[]) r.get(r.fieldIndex("image"))),
                    new double[]{1.0}, false);
            int[] expected = new int[SIZE * SIZE];
            for (int i = 0; i < expected.length; i++) {
                for (int c = 1; c <= CLASSES; c++) {
                    if (probs[c * expected.length + i] > probs[expected[i] * expected.length + i]) {
                        expected[i] = c;
                    }
                }
            }
            assertArrayEquals(expected, pixelValues((byte[]) rows.get(id).get(rows.get(id).fieldIndex("mask"))), id);
        }
    }

    @Test
    void crfAndTestTimeAugmentationKeepOneImageSizedLabelMapPerImage(@TempDir Path dir) throws Exception {
        copyOf(dir, "ingest", "train-segmentation");
        StageRunner.Outcome o = stage(new PredictJob(), dir, List.of("predict.splits=[val]",
                "predict.scales=[0.5, 1.0]", "predict.flip=true", "predict.crf=true", "crf.iterations=3",
                "predict.write-png=false"));
        assertEquals(Boolean.TRUE, o.metrics().get("crf"));
        Map<String, Row> rows = labels(dir);
        assertEquals(valIds, rows.keySet());
        for (Row r : rows.values()) {
            int[] values = pixelValues((byte[]) r.get(r.fieldIndex("mask")));
            assertEquals(SIZE * SIZE, values.length);
            for (int v : values) {
                assertTrue(v >= 0 && v <= CLASSES, r.getString(0) + ": label " + v);
            }
        }
        assertFalse(Files.exists(dir.resolve("predict/png")));
    }

    @Test
    void anUndecodableImageIsQuarantinedAndTheOthersPredicted(@TempDir Path dir) throws Exception {
        copyOf(dir, "ingest", "train-segmentation");
        String broken = new TreeSet<>(valIds).first();
        Path manifest = dir.resolve("ingest/manifest");
        Path rewritten = dir.resolve("manifest-rewritten");
        Dataset<Row> df = SparkTestSession.get().read().parquet(manifest.toString());
        df.withColumn("image", when(col("image_id").equalTo(broken), expr("substring(image, 1, 60)"))
                .otherwise(col("image"))).write().parquet(rewritten.toString());
        try (var files = Files.walk(manifest)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.move(rewritten, manifest);
        recordFiles(dir, "ingest");

        StageRunner.Outcome o = stage(new PredictJob(), dir, List.of("predict.splits=[val]"));
        Set<String> expected = new HashSet<>(valIds);
        expected.remove(broken);
        assertEquals(expected, labels(dir).keySet());
        assertEquals(1, ((Number) o.metrics().get("num_quarantined")).intValue());
        List<Row> q = SparkTestSession.get().read().parquet(dir.resolve("predict/quarantine").toString())
                .collectAsList();
        assertEquals(1, q.size());
        assertEquals(broken, q.get(0).getString(0));
        assertFalse(q.get(0).getString(2).isBlank());
    }

    @Test
    void groundTruthAsPredictionScoresOne(@TempDir Path dir) throws Exception {
        copyOf(dir, "ingest");
        stage(new FixedLabelsStage(PredictJob.NAME, r -> (byte[]) r.get(r.fieldIndex("mask"))), dir, List.of());
        stage(new EvaluateJob(), dir, List.of());
        JsonNode m = new ObjectMapper().readTree(dir.resolve("evaluate/metrics.json").toFile());
        for (String k : List.of("miou", "pixel_accuracy", "mean_accuracy", "per_class_iou", "num_images")) {
            assertTrue(m.has(k), "metrics.json lacks " + k);
        }
        assertEquals(1.0, m.get("miou").asDouble(), 1e-12);
        assertEquals(1.0, m.get("pixel_accuracy").asDouble(), 1e-12);
        assertEquals(1.0, m.get("mean_accuracy").asDouble(), 1e-12);
        assertEquals(valIds.size(), m.get("num_images").asInt());
        assertEquals(0, m.get("num_missing_predictions").asInt());
    }

    @Test
    void allBackgroundPredictionScoresAsComputedByHand(@TempDir Path dir) throws Exception {
        copyOf(dir, "ingest");
        byte[] zeros = greyPng(new byte[SIZE * SIZE]);
        stage(new FixedLabelsStage(PredictJob.NAME, r -> zeros), dir, List.of());
        stage(new EvaluateJob(), dir, List.of());

        // prediction 0 everywhere: background IoU = pixel accuracy = gt background / scored (non-255) pixels;
        // a foreground class in the ground truth has IoU 0 and recall 0; one absent from it has no IoU (null)
        long background = 0;
        long scored = 0;
        Set<Integer> present = new TreeSet<>();
        for (Row r : manifest(dir.toString())) {
            if (!valIds.contains(r.getString(0))) {
                continue;
            }
            for (int v : pixelValues((byte[]) r.get(r.fieldIndex("mask")))) {
                if (v == 255) {
                    continue;
                }
                scored++;
                if (v == 0) {
                    background++;
                } else {
                    present.add(v);
                }
            }
        }
        assertFalse(present.isEmpty(), "the val ground truth should hold some object");
        double bgIou = background / (double) scored;
        JsonNode m = new ObjectMapper().readTree(dir.resolve("evaluate/metrics.json").toFile());
        assertEquals(bgIou, m.get("pixel_accuracy").asDouble(), 1e-12);
        assertEquals(bgIou / (1 + present.size()), m.get("miou").asDouble(), 1e-12);
        assertEquals(1.0 / (1 + present.size()), m.get("mean_accuracy").asDouble(), 1e-12);
        assertEquals(valIds.size(), m.get("num_images").asInt());
        JsonNode perClass = m.get("per_class_iou");
        assertEquals(CLASSES + 1, perClass.size());
        assertEquals(bgIou, perClass.get("background").asDouble(), 1e-12);
        int c = 0;
        for (JsonNode iou : perClass) {
            if (c > 0) {
                if (present.contains(c)) {
                    assertEquals(0.0, iou.asDouble(), 0.0, "class " + c);
                } else {
                    assertTrue(iou.isNull(), "class " + c + " is in neither ground truth nor prediction: " + iou);
                }
            }
            c++;
        }
    }

    @Test
    void evaluateAndEvalLabelsCountAnImageWithoutPredictionAsAllWrong(@TempDir Path dir) throws Exception {
        copyOf(dir, "ingest");
        String missing = new TreeSet<>(valIds).first();
        // perfect predictions everywhere but one val image, which has none (as if predict had quarantined it)
        FixedLabelsStage.MaskOf gtButOne = r -> r.getString(0).equals(missing) ? null : (byte[]) r.get(r.fieldIndex("mask"));
        stage(new FixedLabelsStage(PredictJob.NAME, gtButOne), dir, List.of());
        stage(new FixedLabelsStage(RandomWalkJob.NAME, gtButOne), dir, List.of());
        stage(new EvaluateJob(), dir, List.of());
        stage(new EvalLabelsJob(), dir, List.of("cam.eval-splits=[val]"));

        // by hand: class c's IoU = (its val pixels outside the missing image) / (all its val pixels), no false
        // positives; pixel accuracy = scored pixels outside the missing image / all scored val pixels
        long[] all = new long[CLASSES + 1];
        long[] lost = new long[CLASSES + 1];
        for (Row r : manifest(dir.toString())) {
            if (!valIds.contains(r.getString(0))) {
                continue;
            }
            for (int v : pixelValues((byte[]) r.get(r.fieldIndex("mask")))) {
                if (v != 255) {
                    all[v]++;
                    lost[v] += r.getString(0).equals(missing) ? 1 : 0;
                }
            }
        }
        double iouSum = 0;
        int present = 0;
        long scored = 0;
        long lostPixels = 0;
        for (int c = 0; c <= CLASSES; c++) {
            scored += all[c];
            lostPixels += lost[c];
            if (all[c] > 0) {
                iouSum += (all[c] - lost[c]) / (double) all[c];
                present++;
            }
        }
        assertTrue(lostPixels > 0, "the missing image has scored pixels");
        for (String stageName : List.of("evaluate", "eval-labels")) {
            JsonNode m = new ObjectMapper().readTree(dir.resolve(stageName + "/metrics.json").toFile());
            assertEquals(1, m.get("num_missing_predictions").asInt(), stageName);
            assertEquals(valIds.size(), m.get("num_images").asInt(), stageName);
            assertEquals((scored - lostPixels) / (double) scored, m.get("pixel_accuracy").asDouble(), 1e-12, stageName);
            assertEquals(iouSum / present, m.get("miou").asDouble(), 1e-12, stageName);
            assertTrue(m.get("miou").asDouble() < 1.0, stageName);
        }
    }

    @Test
    void evaluateRefusesPredictionsWithoutValImages(@TempDir Path dir) throws Exception {
        copyOf(dir, "ingest");
        stage(new FixedLabelsStage(PredictJob.NAME, r -> r.getString(r.fieldIndex("split")).equals("train")
                ? (byte[]) r.get(r.fieldIndex("mask")) : null), dir, List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stage(new EvaluateJob(), dir, List.of()));
        assertTrue(e.getMessage().contains("predict.splits"), e.getMessage());
    }

    static byte[] greyPng(byte[] values) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, SIZE, SIZE, values);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
