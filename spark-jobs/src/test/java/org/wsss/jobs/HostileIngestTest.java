package org.wsss.jobs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.spark.CamSchema;
import org.apache.spark.sql.RowFactory;
import org.wsss.cam.FloatBytes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Datasets written by someone else: ids that try to leave the dataset, ids listed twice, pixel bombs, images too
 * large to keep, annotations that disagree with their masks, val images without a mask.
 */
class HostileIngestTest {

    private static StageRunner.Outcome ingest(Path runDir, String... sets) throws Exception {
        return stage(new IngestJob(), runDir, sets);
    }

    private static StageRunner.Outcome stage(Stage stage, Path runDir, String... sets) throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of(sets));
        try (JobContext ctx = new JobContext(s, runDir.toString(), SparkTestSession.get())) {
            return StageRunner.run(stage, ctx);
        }
    }

    private static Map<String, Row> manifest(Path run) {
        return SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString()).collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    }

    /** Pixel values of row {@code y} of an 8-bit palette or grey PNG, read with ImageIO (not the project's codec). */
    private static int[] row(byte[] png, int y) throws IOException {
        Raster raster = ImageIO.read(new ByteArrayInputStream(png)).getRaster();
        return raster.getSamples(0, y, raster.getWidth(), 1, 0, (int[]) null);
    }

    private static Map<String, String> quarantine(Path run) {
        Map<String, String> reasons = new TreeMap<>();
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("ingest/quarantine").toString())
                .collectAsList()) {
            reasons.put(r.getString(0), r.getString(2));
        }
        return reasons;
    }

    private static List<String> manifestIds(Path run) {
        return SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                .select("image_id").collectAsList().stream().map(r -> r.getString(0)).sorted()
                .collect(Collectors.toList());
    }

    @Test
    void idsThatLeaveTheImageFolderAreQuarantinedAndTheirFilesNeverRead(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        // A readable image and mask outside dataset.root where the hostile id points.
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(outside.resolve("evil.jpg"), VocFixture.jpegBytes(40, 30));
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"),
                "good_xml\n../../outside/evil\n/etc/hostname\na:b\n");
        Path run = tmp.resolve("run");
        StageRunner.Outcome o = ingest(run, "dataset.format=voc", "dataset.root=" + root,
                "dataset.classes=[cat, dog]", "ingest.max-quarantined-fraction=1");

        assertEquals(List.of("good_mask", "good_xml"), manifestIds(run));
        Map<String, String> q = quarantine(run);
        assertEquals("image id '../../outside/evil' has a '..' segment and could resolve outside its image folder",
                q.get("../../outside/evil"));
        assertEquals("image id '/etc/hostname' is an absolute path; ids are paths relative to the image folder",
                q.get("/etc/hostname"));
        assertEquals("image id 'a:b' contains ':', which a Hadoop path reads as a URI scheme", q.get("a:b"));
        assertEquals(3L, ((Number) o.metrics().get("num_quarantined")).longValue());
        // The id-refused images count towards the bound: 3 of 5 listed.
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(tmp.resolve("run2"),
                "dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]",
                "ingest.max-quarantined-fraction=0.5"));
        assertTrue(e.getMessage().contains("3 of 5 listed images (60.0%) were quarantined"), e.getMessage());
    }

    @Test
    void anIdListedTwiceInOneSplitIsIngestedOnceAndTheRepeatQuarantined(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "good_xml\ngood_xml\n");
        Path run = tmp.resolve("run");
        ingest(run, "dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]");
        assertEquals(List.of("good_mask", "good_xml"), manifestIds(run));
        assertEquals(Map.of("good_xml", "image id 'good_xml' is listed more than once in split 'train': only its "
                + "first listing is ingested"), quarantine(run));
    }

    @Test
    void anIdInTwoSplitsFailsIngestNamingTheIdAndBothSplits(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "good_xml\ngood_mask\n");
        Path run = tmp.resolve("run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(run, "dataset.format=voc",
                "dataset.root=" + root, "dataset.classes=[cat, dog]"));
        assertEquals("image id 'good_mask' is listed in split 'train' and again in split 'val': an image must be in "
                + "one split only (it would be trained on and evaluated on); remove it from one of the split lists",
                e.getMessage());
        assertFalse(Files.exists(run.resolve("ingest/_STAGE.json")));
    }

    @Test
    void aPixelBombImageOrMaskIsQuarantinedFromItsHeaderNamingTheSizeAndTheKey(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        // 30000 x 30000 RGB is 2.7 GB decoded; the files are a few hundred bytes.
        Files.write(root.resolve("JPEGImages/bomb.jpg"), VocFixture.pngDeclaring(30000, 30000));
        VocFixture.writeJpeg(root, "mask_bomb", 40, 30);
        Files.write(root.resolve("SegmentationClass/mask_bomb.png"), VocFixture.pngDeclaring(30000, 30000));
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "good_xml\nbomb\nmask_bomb\n");
        Path run = tmp.resolve("run");
        ingest(run, "dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]",
                "ingest.max-quarantined-fraction=1");

        assertEquals(List.of("good_mask", "good_xml"), manifestIds(run));
        Map<String, String> q = quarantine(run);
        assertEquals("image PNG declares 30000x30000 = 900000000 pixels, more than ingest.max-pixels = 100000000 "
                + "(not decoded): " + root.resolve("JPEGImages/bomb.jpg"), q.get("bomb"));
        assertEquals("mask PNG declares 30000x30000 = 900000000 pixels, more than ingest.max-pixels = 100000000 "
                + "(not decoded): " + root.resolve("SegmentationClass/mask_bomb.png"), q.get("mask_bomb"));
    }

    @Test
    void maxLongSideDownscalesImageMaskAndPointsTogether(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "good_xml\n");
        Path points = Files.writeString(tmp.resolve("points.jsonl"),
                "{\"image_id\": \"good_xml\", \"points\": [{\"x\": 30, \"y\": 10, \"class\": \"cat\"}]}\n");
        Path run = tmp.resolve("run");
        ingest(run, "dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]",
                "ingest.max-long-side=20", "dataset.points=" + points);

        Map<String, Row> m = manifest(run);
        // good_xml 40x30 -> 20x15: each output pixel a 2x2 cell
        Row r = m.get("good_xml");
        assertEquals(List.of(20, 15), List.of(r.getInt(r.fieldIndex("width")), r.getInt(r.fieldIndex("height"))));
        BufferedImage small = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(r.fieldIndex("image"))));
        assertEquals(List.of(20, 15), List.of(small.getWidth(), small.getHeight()));
        BufferedImage full = ImageIO.read(root.resolve("JPEGImages/good_xml.jpg").toFile());
        for (int shift : new int[]{16, 8, 0}) {
            int mean = 0;
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    mean += (full.getRGB(14 + dx, 10 + dy) >> shift) & 0xff;
                }
            }
            int got = (small.getRGB(7, 5) >> shift) & 0xff;
            assertTrue(Math.abs(got - mean / 4.0) <= 8, "channel at bit " + shift + ": " + got + " vs " + mean / 4.0);
        }
        // mask: background x < 20, 255 at x = 20, cat beyond; nearest neighbour samples x = 2i + 1
        int[] expected = new int[20];
        java.util.Arrays.fill(expected, 10, 20, 1);
        assertArrayEquals(expected, row((byte[]) r.get(r.fieldIndex("mask")), 7));
        // the point (30, 10) lies in the output pixel (15, 5)
        assertEquals(List.of(RowFactory.create(15, 5, 1)), r.getList(r.fieldIndex("points")));
        // good_mask 32x32 -> 20x20: source column floor((x + 0.5) * 1.6); 16 is the 255 column
        Row g = m.get("good_mask");
        assertEquals(List.of(20, 20), List.of(g.getInt(g.fieldIndex("width")), g.getInt(g.fieldIndex("height"))));
        int[] maskRow = new int[20];
        java.util.Arrays.fill(maskRow, 11, 20, 2);
        maskRow[10] = 255;
        assertArrayEquals(maskRow, row((byte[]) g.get(g.fieldIndex("mask")), 3));
    }

    @Test
    void anXmlNamingAClassItsMaskLacksIsCountedAndTheLabelKept(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        VocFixture.writeJpeg(root, "dog_too", 40, 30);
        VocFixture.writeMask(root, "dog_too", 40, 30, 1);
        VocFixture.writeXml(root, "dog_too", "cat", "dog");
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "good_xml\ndog_too\n");
        Path run = tmp.resolve("run");
        StageRunner.Outcome o = ingest(run, "dataset.format=voc", "dataset.root=" + root,
                "dataset.classes=[cat, dog]");
        assertEquals(1L, ((Number) o.metrics().get("num_images_xml_class_absent_from_mask")).longValue());
        Row r = manifest(run).get("dog_too");
        assertEquals(List.of(1, 2), r.getList(r.fieldIndex("labels")));
    }

    @Test
    void everyEvaluationCountsTheValImagesWithoutMask(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        VocFixture.writeJpeg(root, "no_mask", 32, 32);
        VocFixture.writeXml(root, "no_mask", "dog");
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "good_xml\n");
        Files.writeString(root.resolve("ImageSets/Segmentation/val.txt"), "good_mask\nno_mask\n");
        Path run = tmp.resolve("run");
        String[] sets = {"dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]",
                "cam.eval-splits=[val]"};
        ingest(run, sets);
        FixedLabelsStage.MaskOf groundTruth = r -> (byte[]) r.get(r.fieldIndex("mask"));
        stage(new FixedLabelsStage(PredictJob.NAME, groundTruth), run, sets);
        stage(new FixedLabelsStage(RandomWalkJob.NAME, groundTruth), run, sets);
        stage(new FixedCamsStage(), run, sets);
        stage(new EvaluateJob(), run, sets);
        stage(new EvalLabelsJob(), run, sets);
        stage(new EvalCamsJob(), run, sets);
        for (String name : List.of("evaluate", "eval-labels", "eval-cams")) {
            JsonNode m = new ObjectMapper().readTree(run.resolve(name + "/metrics.json").toFile());
            assertEquals(1, m.path("num_images_without_mask").asInt(-1), name);
            assertEquals(1, m.get("num_images").asInt(), name);
        }
    }

    /** Stands in for make-cams: one all-ones 1x1 map of class 1 per manifest image, in the documented schema. */
    private static final class FixedCamsStage extends StandInStage {
        FixedCamsStage() {
            super(MakeCamsJob.NAME);
        }

        @Override
        public Map<String, Object> run(JobContext ctx) {
            List<Row> rows = new java.util.ArrayList<>();
            for (Row r : ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest")).collectAsList()) {
                rows.add(RowFactory.create(r.getString(0), r.getString(r.fieldIndex("split")),
                        r.getInt(r.fieldIndex("width")), r.getInt(r.fieldIndex("height")),
                        org.wsss.spark.ManifestSchema.seq(List.of(1)), 1, 1, 1, FloatBytes.encode(new float[]{1f}),
                        org.wsss.spark.ManifestSchema.seq(List.of(1f, 0f)), org.wsss.spark.ManifestSchema.seq(List.of())));
            }
            ctx.spark().createDataFrame(rows, CamSchema.CAMS).write().parquet(ctx.stagePath(name(), "cams"));
            return Map.of("num_images", rows.size());
        }
    }
}
