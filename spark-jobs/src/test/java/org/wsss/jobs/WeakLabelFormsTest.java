package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.data.Box;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.segsort.SegSortNets;
import org.wsss.spark.ManifestSchema;
import org.wsss.spark.ModelStore;
import org.wsss.synthetic.Scene;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticScenes;
import org.wsss.synthetic.SyntheticSpec;
import org.wsss.synthetic.VocExport;

/**
 * Boxes and scribbles from a VOC-layout folder (the synthetic export: XML boxes, a Scribbles folder) through ingest
 * and into train-segmentation's labels: dataset.boxes overriding the XML for the images it lists, its errors
 * quarantined or reported, and both forms trained on.
 */
class WeakLabelFormsTest {

    private static final SyntheticSpec SPEC = new SyntheticSpec(16, 48, 5L, 0.25, 3);

    @TempDir
    static Path dir;
    static Path root;
    static final Map<String, Scene> SCENES = new HashMap<>();

    @BeforeAll
    static void export() throws Exception {
        root = dir.resolve("voc");
        VocExport.write(SPEC, root);
        SyntheticScenes scenes = new SyntheticScenes(SPEC);
        for (int i = 0; i < SPEC.count(); i++) {
            Scene s = scenes.render(i);
            SCENES.put(s.imageId(), s);
        }
    }

    static List<String> sets(String... more) {
        List<String> all = new ArrayList<>(List.of("dataset.format=voc", "dataset.root=" + root,
                "dataset.classes=" + SyntheticPreset.SHAPES.classNames(), "dataset.scribbles=" + root.resolve("Scribbles"),
                "train.input-size=48", "train.batch-size=4", "train.init=scratch", "train.epochs=1",
                "train.averaging-frequency=1", "train.random-scale=[1.0, 1.0]", "ingest.max-quarantined-fraction=0.5"));
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void ingestKeepsEachImagesBoxesAndScribbleAndTheBoxesFileOverridesTheXml() throws Exception {
        Path run = dir.resolve("run-ingest");
        Path boxesFile = dir.resolve("boxes.jsonl");
        Files.writeString(boxesFile, """
                {"image_id": "syn_000000", "boxes": [{"x0": 1, "y0": 2, "x1": 30, "y1": 40, "class": "square"}]}
                {"image_id": "syn_000001", "boxes": [{"x0": 1, "y0": 2, "x1": 49, "y1": 40, "class": "square"}]}
                {"image_id": "nowhere", "boxes": []}
                """);
        Settings s = ConfigLoader.load(List.of(), sets("dataset.boxes=" + boxesFile));
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
        }
        Map<String, String> quarantined = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("ingest/quarantine").toString()).collectAsList()) {
            quarantined.put(r.getString(0), r.getString(2));
        }
        assertEquals("box (1,2)-(49,40) of image syn_000001 in dataset.boxes is empty or reaches outside the 48x48 "
                + "image " + root.resolve("JPEGImages/syn_000001.jpg"), quarantined.get("syn_000001"));
        assertTrue(quarantined.get("nowhere").startsWith("dataset.boxes has boxes for image 'nowhere', which is not "
                + "in the listed splits"), quarantined.get("nowhere"));
        List<Row> rows = SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                .select("image_id", "boxes", "scribble").collectAsList();
        assertEquals(SPEC.count() - 1, rows.size());
        for (Row r : rows) {
            String id = r.getString(0);
            List<Box> boxes = ManifestSchema.boxes(r.getList(1));
            assertEquals(id.equals("syn_000000") ? List.of(new Box(1, 2, 30, 40, 2)) : SCENES.get(id).boxes(), boxes, id);
            assertArrayEquals(SCENES.get(id).scribble().labels(), ImageCodec.decodeMask((byte[]) r.get(2), id)
                    .labels(), id);
        }
    }

    @Test
    void boxesBecomeFilledLabelsAndScribblesSparseOnesAndBothTrain() throws Exception {
        Path run = dir.resolve("run-train");
        Settings boxes = ConfigLoader.load(List.of(), sets("train.supervision=boxes"));
        try (JobContext ctx = new JobContext(boxes, run.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
            List<TrainSegmentationJob.TrainingImage> images = TrainSegmentationJob.trainingImages(ctx, boxes, "boxes")
                    .collect();
            assertFalse(images.isEmpty());
            for (TrainSegmentationJob.TrainingImage t : images) {
                List<Box> bs = SCENES.get(t.imageId()).boxes();
                LabelMask m = ImageCodec.decodeMask(t.pseudoLabel(), t.imageId());
                for (int p = 0; p < m.labels().length; p++) {
                    int x = p % m.width();
                    int y = p / m.width();
                    int v = m.labels()[p] & 0xff;
                    boolean inside = bs.stream().anyMatch(b -> b.contains(x, y));
                    // background exactly outside every box; inside, the class of a box that holds the pixel
                    assertEquals(!inside, v == 0, t.imageId() + " pixel " + x + "," + y);
                    assertTrue(v == 0 || bs.stream().anyMatch(b -> b.classIndex() == v && b.contains(x, y)),
                            t.imageId() + " pixel " + x + "," + y + " class " + v);
                }
            }
            Map<String, Object> trained = StageRunner.run(new TrainSegmentationJob(), ctx).metrics();
            assertEquals("boxes", trained.get("supervision"));
        }
        Path sortRun = dir.resolve("run-scribbles");
        Settings scribbles = ConfigLoader.load(List.of(), sets("train.supervision=scribbles", "train.method=segsort",
                "predict.method=knn"));
        try (JobContext ctx = new JobContext(scribbles, sortRun.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
            Map<String, Set<Integer>> scribbled = new HashMap<>();
            for (TrainSegmentationJob.TrainingImage t : TrainSegmentationJob.trainingImages(ctx, scribbles, "scribbles")
                    .collect()) {
                assertArrayEquals(SCENES.get(t.imageId()).scribble().labels(),
                        ImageCodec.decodeMask(t.pseudoLabel(), t.imageId()).labels());
                Set<Integer> labels = new TreeSet<>();
                for (byte b : SCENES.get(t.imageId()).scribble().labels()) {
                    if ((b & 0xff) != 255) {
                        labels.add(b & 0xff);
                    }
                }
                scribbled.put(t.imageId(), labels);
            }
            StageRunner.run(new TrainSegmentationJob(), ctx);
            assertTrue(SegSortNets.loss(ModelStore.fromBytes(Files.readAllBytes(
                    sortRun.resolve("train-segmentation/model.zip")), false)).isFromPoints(),
                    "scribbles label SegSort's clusters as clicks do");
            StageRunner.run(new MakePrototypesJob(), ctx);
            for (Row r : SparkTestSession.get().read().parquet(sortRun.resolve("make-prototypes/prototypes")
                    .toString()).collectAsList()) {
                List<Integer> labels = r.getList(2);
                assertTrue(scribbled.get(r.getString(0)).containsAll(labels), r.getString(0) + ": prototypes "
                        + labels + ", scribbles " + scribbled.get(r.getString(0)));
            }
        }
    }
}
