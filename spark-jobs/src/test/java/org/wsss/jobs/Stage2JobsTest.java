package org.wsss.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Params;
import org.wsss.nn.InputNorm;
import org.wsss.config.Settings;
import org.wsss.affinity.AffinityNets;
import org.wsss.spark.ModelStore;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** make-affinity-labels, train-affinity, random-walk and eval-labels on a small synthetic set. */
class Stage2JobsTest {

    @TempDir
    static Path run;

    /** Further run directories of the tests that branch off {@code run}: a temporary folder JUnit removes. */
    @TempDir
    static Path others;

    static final String[] SETS = {"dataset.synthetic.count=24", "dataset.synthetic.size=64",
            "classifier.epochs=1", "classifier.input-size=64", "classifier.batch-size=8",
            "classifier.holdout-fraction=0.2", "cam.scales=[1.0]", "cam.flip=false", "cam.sample-heatmaps=0",
            "affinity.input-size=64", "affinity.epochs=1", "affinity.batch-size=4", "walk.steps=16",
            // plain mining here, so that crfMiningWritesLabelsOnTheSameGrid compares the CRF path against it
            "affinity.crf=false"};

    static void stage(Stage st) throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of(SETS));
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            StageRunner.run(st, ctx);
        }
    }

    @BeforeAll
    static void stages() throws Exception {
        for (Stage st : List.of(new IngestJob(), new TrainClassifierJob(), new MakeCamsJob(),
                new MakeAffinityLabelsJob(), new TrainAffinityJob(), new RandomWalkJob(), new EvalLabelsJob())) {
            stage(st);
        }
    }

    /** metrics.json's tag coverage equals a recount over the labels and CAM tables. */
    @Test
    void affinityLabelCoverageCountsTheTagsWithoutConfidentCells() throws Exception {
        Map<String, Row> cams = SparkTestSession.get().read().parquet(run.resolve("make-cams/cams").toString())
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
        long tags = 0, without = 0;
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("make-affinity-labels/labels").toString())
                .collectAsList()) {
            byte[] labels = (byte[]) r.get(r.fieldIndex("labels"));
            Row cam = cams.get(r.getString(0));
            for (int c : cam.<Integer>getList(cam.fieldIndex("classes"))) {
                tags++;
                boolean found = false;
                for (byte b : labels) {
                    found |= (b & 0xff) == c;
                }
                without += found ? 0 : 1;
            }
        }
        JsonNode cov = new ObjectMapper().readTree(run.resolve("make-affinity-labels/metrics.json").toFile())
                .get("label_coverage");
        assertTrue(tags > 24, "every synthetic image has at least one tag, got " + tags);
        assertEquals(tags, cov.get("tagged_classes").asLong());
        assertEquals(without, cov.get("tagged_classes_without_cells").asLong());
        assertEquals((double) without / tags, cov.get("missing_class_fraction").asDouble(), 1e-12);
        assertEquals((double) without / tags > 0.95, cov.get("collapsed").asBoolean(), "default threshold 0.95");
    }

    @Test
    void affinityLabelsAreOnTheAffinityGridWithTheDocumentedValues() {
        Map<String, Row> cams = SparkTestSession.get().read().parquet(run.resolve("make-cams/cams").toString())
                .collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
        List<Row> rows = SparkTestSession.get().read().parquet(run.resolve("make-affinity-labels/labels").toString())
                .collectAsList();
        assertEquals(24, rows.size());
        for (Row r : rows) {
            Row cam = cams.get(r.getString(0));
            int gh = r.getInt(r.fieldIndex("grid_height")), gw = r.getInt(r.fieldIndex("grid_width"));
            // 64 px images: the small classifier's CAMs at stride 8 are 8x8, the labels at affinity.output-stride 4
            // (the default) 16x16
            assertEquals(8, cam.getInt(cam.fieldIndex("grid_height")));
            assertEquals(16, gh);
            assertEquals(16, gw);
            byte[] labels = (byte[]) r.get(r.fieldIndex("labels"));
            assertEquals(gh * gw, labels.length);
            List<Integer> classes = cam.getList(cam.fieldIndex("classes"));
            for (byte b : labels) {
                int v = b & 0xff;
                assertTrue(v == 0 || v == 255 || classes.contains(v), "label " + v + " not among " + classes);
            }
        }
    }

    /** random-walk's time split: each of the 24 images (all tagged) is decoded, featurised, walked and written once. */
    @Test
    void randomWalkSplitsItsTaskTimeIntoOneCallPerImageAndPhase() throws Exception {
        JsonNode m = new ObjectMapper().readTree(run.resolve("random-walk/metrics.json").toFile());
        Map<String, Long> calls = new java.util.LinkedHashMap<>();
        double fractions = 0;
        for (JsonNode r : m.get("time_split")) {
            calls.put(r.get("phase").asText(), r.get("calls").asLong());
            fractions += r.get("fraction").asDouble();
        }
        for (String phase : List.of("decode", "resize", "network", "walk", "upsample", "crf", "png")) { // walk.crf: on
            assertEquals(24L, calls.get(phase), phase + " in " + calls);
        }
        assertEquals(0L, calls.get("other"));
        assertEquals(1.0, fractions, 1e-9);
        assertTrue(m.get("task_cpu_seconds").asDouble() > 0, m.toString());
    }

    @Test
    void randomWalkWritesOneImageSizedLabelPerImage() throws Exception {
        List<Row> rows = SparkTestSession.get().read().parquet(run.resolve("random-walk/labels").toString())
                .collectAsList();
        assertEquals(24, rows.size());
        assertEquals(24, rows.stream().map(r -> r.getString(0)).distinct().count());
        for (Row r : rows) {
            LabelMask m = ImageCodec.decodeMask((byte[]) r.get(r.fieldIndex("mask")), r.getString(0));
            assertEquals(64, m.width());
            assertEquals(64, m.height());
            assertTrue(Files.exists(run.resolve("random-walk/png/" + r.getString(0) + ".png")));
        }
        assertTrue(Files.exists(run.resolve("train-affinity/model.zip")));
    }

    /**
     * The trained AffinityNet fits the affinity labels it was trained on better than a fresh net of the same config:
     * its loss over all labelled pairs of the training images (epoch 0's examples) is lower.
     */
    @Test
    void trainedAffinityNetFitsItsPairLabelsBetterThanTheInitialNet() throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of(SETS));
        Map<String, byte[]> images = SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                .select("image_id", "image").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> (byte[]) r.get(1)));
        List<Row> labels = SparkTestSession.get().read().parquet(run.resolve("make-affinity-labels/labels").toString())
                .filter("split = 'train'").orderBy("image_id").collectAsList();
        List<scala.Tuple2<Long, TrainAffinityJob.Item>> items = new java.util.ArrayList<>();
        for (Row r : labels) {
            items.add(new scala.Tuple2<>((long) items.size(), new TrainAffinityJob.Item(r.getString(0),
                    images.get(r.getString(0)), (byte[]) r.get(r.fieldIndex("labels")),
                    r.getInt(r.fieldIndex("grid_height")), r.getInt(r.fieldIndex("grid_width")))));
        }
        assertTrue(items.size() >= 10, "training images with labels: " + items.size());
        ComputationGraph initial = TrainAffinityJob.newNetwork(s);
        ComputationGraph trained = ModelStore.fromBytes(Files.readAllBytes(run.resolve("train-affinity/model.zip")),
                false);
        int size = s.get(Params.Affinity.INPUT_SIZE);
        int grid = (int) AffinityNets.features(initial, Nd4j.zeros(1, 3, size, size)).height();
        List<DataSet> examples = new java.util.ArrayList<>();
        new TrainAffinityJob.Maker(size, grid, s.get(Params.Affinity.RADIUS), s.get(Params.Affinity.SEED), 0,
                InputNorm.TORCHVISION)
                .make(items.iterator()).forEachRemaining(examples::add);
        DataSet all = DataSet.merge(examples);
        double before = initial.score(all);
        double after = trained.score(all);
        assertTrue(after < before, "affinity loss on the training pairs: initial " + before + ", trained " + after);
    }

    @Test
    void crfMiningWritesLabelsOnTheSameGrid(@TempDir Path copy) throws Exception {
        for (String stage : List.of("ingest", "make-cams")) {
            try (var files = Files.walk(run.resolve(stage))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(run.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
        }
        List<String> sets = new java.util.ArrayList<>(List.of(SETS));
        sets.add("affinity.crf=true");
        try (JobContext ctx = new JobContext(ConfigLoader.load(List.of(), sets), copy.toString(),
                SparkTestSession.get())) {
            StageRunner.Outcome o = StageRunner.run(new MakeAffinityLabelsJob(), ctx);
            assertEquals(Boolean.TRUE, o.metrics().get("crf"));
        }
        Map<String, Integer> plain = SparkTestSession.get().read()
                .parquet(run.resolve("make-affinity-labels/labels").toString()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> ((byte[]) r.get(r.fieldIndex("labels"))).length));
        List<Row> withCrf = SparkTestSession.get().read()
                .parquet(copy.resolve("make-affinity-labels/labels").toString()).collectAsList();
        assertEquals(plain.size(), withCrf.size());
        for (Row r : withCrf) {
            assertEquals(plain.get(r.getString(0)), ((byte[]) r.get(r.fieldIndex("labels"))).length);
        }
    }

    @Test
    void evalLabelsWritesTheContractKeys() throws Exception {
        JsonNode m = new ObjectMapper().readTree(run.resolve("eval-labels/metrics.json").toFile());
        for (String k : List.of("miou", "pixel_accuracy", "mean_accuracy", "per_class_iou", "num_images")) {
            assertTrue(m.has(k), "metrics.json lacks " + k);
        }
        assertEquals(24, m.get("num_images").asInt());
        double miou = m.get("miou").asDouble();
        assertTrue(miou >= 0 && miou <= 1, "mIoU " + miou);
        // the val split alone, scored again through the stage with only that split
        double val = m.get("val_miou").asDouble();
        Path valRun = others.resolve("val");
        for (String st : List.of("ingest", "random-walk")) {
            org.apache.commons.io.FileUtils.copyDirectory(run.resolve(st).toFile(), valRun.resolve(st).toFile());
        }
        Settings valOnly = ConfigLoader.load(List.of(), java.util.stream.Stream.concat(
                java.util.Arrays.stream(SETS), java.util.stream.Stream.of("cam.eval-splits=[val]")).toList());
        try (JobContext ctx = new JobContext(valOnly, valRun.toString(), SparkTestSession.get())) {
            assertEquals(val, ((Number) StageRunner.run(new EvalLabelsJob(), ctx).metrics().get("miou"))
                    .doubleValue(), 1e-12);
        }
    }
}
