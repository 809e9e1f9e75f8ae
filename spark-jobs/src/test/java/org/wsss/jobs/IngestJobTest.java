package org.wsss.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class IngestJobTest {

    private static StageRunner.Outcome ingest(Path runDir, String... sets) throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of(sets));
        SparkSession spark = SparkTestSession.get();
        try (JobContext ctx = new JobContext(s, runDir.toString(), spark)) {
            return StageRunner.run(new IngestJob(), ctx);
        }
    }

    @Test
    void syntheticIngestHasOneRowPerImageAndRerunIsANoOp(@TempDir Path run) throws Exception {
        StageRunner.Outcome first = ingest(run, "dataset.synthetic.count=24", "dataset.synthetic.size=48");
        assertFalse(first.skipped());
        Dataset<Row> m = SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString());
        assertEquals(24, m.count());
        assertEquals(24, m.select("image_id").distinct().count());
        for (Row r : m.collectAsList()) {
            assertEquals(48, r.getInt(r.fieldIndex("width")));
            assertFalse(r.getList(r.fieldIndex("labels")).isEmpty(), "every synthetic scene has an object");
            assertFalse(r.isNullAt(r.fieldIndex("mask")));
            // one point per instance, so at least one point per label
            assertTrue(r.getList(r.fieldIndex("points")).size() >= r.getList(r.fieldIndex("labels")).size());
        }
        assertEquals(24L, ((Number) first.metrics().get("num_images")).longValue());
        long mtime = Files.getLastModifiedTime(run.resolve("ingest/_STAGE.json")).toMillis();

        StageRunner.Outcome again = ingest(run, "dataset.synthetic.count=24", "dataset.synthetic.size=48",
                "runtime.progress-seconds=3");
        assertTrue(again.skipped(), "same inputs and config: nothing to do");
        assertEquals(mtime, Files.getLastModifiedTime(run.resolve("ingest/_STAGE.json")).toMillis());

        StageRunner.Outcome changed = ingest(run, "dataset.synthetic.count=20", "dataset.synthetic.size=48");
        assertFalse(changed.skipped(), "a changed config redoes the stage");
        assertEquals(20, SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString()).count());
    }

    @Test
    void vocIngestKeepsReadableImagesAndQuarantinesTheRestWithReasons(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        Path run = tmp.resolve("run");
        // 4 of the fixture's 6 images are broken on purpose: allow it
        StageRunner.Outcome o = ingest(run, "dataset.format=voc", "dataset.root=" + root,
                "dataset.classes=[cat, dog]", "ingest.max-quarantined-fraction=1");
        SparkSession spark = SparkTestSession.get();
        Map<String, Row> rows = spark.read().parquet(run.resolve("ingest/manifest").toString()).collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
        assertEquals(Map.of("good_xml", "train", "good_mask", "val"), rows.values().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getString(1))));
        Row xml = rows.get("good_xml");
        assertEquals(List.of(1), xml.getList(xml.fieldIndex("labels")));
        assertEquals(List.of("cat"), xml.getList(xml.fieldIndex("label_names")));
        assertEquals(40, xml.getInt(xml.fieldIndex("width")));
        assertEquals(30, xml.getInt(xml.fieldIndex("height")));
        assertArrayEquals(Files.readAllBytes(root.resolve("JPEGImages/good_xml.jpg")),
                (byte[]) xml.get(xml.fieldIndex("image")), "image bytes are stored as read");
        Row fromMask = rows.get("good_mask");
        assertEquals(List.of(2), fromMask.getList(fromMask.fieldIndex("labels")), "no XML: labels from the mask");

        Map<String, String> reasons = new HashMap<>();
        for (Row r : spark.read().parquet(run.resolve("ingest/quarantine").toString()).collectAsList()) {
            reasons.put(r.getString(0), r.getString(2));
        }
        assertEquals(4, reasons.size(), reasons.toString());
        assertTrue(reasons.get("truncated").toLowerCase().contains("truncated"), reasons.get("truncated"));
        assertTrue(reasons.get("bad_size").contains("41"), reasons.get("bad_size"));
        assertTrue(reasons.get("zebra").contains("zebra"), reasons.get("zebra"));
        assertTrue(reasons.get("missing").contains("missing"), reasons.get("missing"));
        assertEquals(4L, ((Number) o.metrics().get("num_quarantined")).longValue());
        assertEquals(2L, ((Number) o.metrics().get("num_images")).longValue());
    }

    @Test
    void changedInputFileRedoesTheStage(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        Path run = tmp.resolve("run");
        String[] sets = {"dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]",
                "ingest.max-quarantined-fraction=1"};
        ingest(run, sets);
        assertTrue(ingest(run, sets).skipped());
        VocFixture.writeJpeg(root, "zebra", 21, 20);
        Files.setLastModifiedTime(root.resolve("JPEGImages/zebra.jpg"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertFalse(ingest(run, sets).skipped(), "an input file changed: the stage is redone");
    }

    @Test
    void aFolderWithoutMarkerIsNeverReadAndIsRedone(@TempDir Path run) throws Exception {
        Path manifest = Files.createDirectories(run.resolve("ingest/manifest"));
        Files.writeString(manifest.resolve("part-00000.parquet"), "half-written");
        Settings s = ConfigLoader.load(List.of(), List.of("dataset.synthetic.count=6", "dataset.synthetic.size=40"));
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.requireComplete("ingest"));
            assertTrue(e.getMessage().contains("wsss ingest"), e.getMessage());
            StageRunner.Outcome o = StageRunner.run(new IngestJob(), ctx);
            assertFalse(o.skipped());
            assertNotNull(ctx.requireComplete("ingest").fingerprint());
        }
        assertEquals(6, SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString()).count());
    }

    /** Four listed VOC images (img0..img3), the first {@code broken} unusable: truncated, missing, truncated. */
    private static Path fourImages(Path root, int broken) throws Exception {
        for (String d : new String[]{"JPEGImages", "Annotations", "ImageSets/Segmentation"}) {
            Files.createDirectories(root.resolve(d));
        }
        for (int i = 0; i < 4; i++) {
            String id = "img" + i;
            VocFixture.writeXml(root, id, "cat");
            if (i < broken && i % 2 == 0) {
                byte[] full = VocFixture.jpegBytes(40, 30);
                Files.write(root.resolve("JPEGImages/" + id + ".jpg"), java.util.Arrays.copyOf(full, full.length / 2));
            } else if (i >= broken) {
                VocFixture.writeJpeg(root, id, 40, 30);
            } // i == 1 broken: listed, no image
        }
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "img0\nimg1\nimg2\nimg3\n");
        Files.writeString(root.resolve("ImageSets/Segmentation/val.txt"), "");
        return root;
    }

    @Test
    void threeOfFourQuarantinedFailsWithTheCountAndReasonsAndCommitsNothing(@TempDir Path tmp) throws Exception {
        Path root = fourImages(tmp.resolve("voc"), 3);
        Path run = tmp.resolve("run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(run,
                "dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]"));
        String m = e.getMessage();
        assertTrue(m.contains("3 of 4 listed images (75.0%) were quarantined"), m);
        assertTrue(m.contains("more than ingest.max-quarantined-fraction = 0.5"), m);
        assertTrue(m.contains("2 x truncated JPEG (no end-of-image marker): <path> (e.g. img0)"), m);
        assertTrue(m.contains("1 x listed image is missing: <path> (e.g. img1)"), m);
        assertTrue(m.indexOf("2 x truncated") < m.indexOf("1 x listed"), "commonest first: " + m);
        assertTrue(m.contains(run.resolve("ingest/quarantine").toString()), m);

        Map<String, String> reasons = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(run.resolve("ingest/quarantine").toString())
                .collectAsList()) {
            reasons.put(r.getString(0), r.getString(2));
        }
        assertEquals(java.util.Set.of("img0", "img1", "img2"), reasons.keySet(), "the table is written all the same");
        assertTrue(reasons.get("img1").startsWith("listed image is missing: "), reasons.get("img1"));
        assertFalse(Files.exists(run.resolve("ingest/_STAGE.json")), "a failed ingest is not committed");
        try (JobContext ctx = new JobContext(ConfigLoader.load(List.of(), List.of()), run.toString(),
                SparkTestSession.get())) {
            assertThrows(IllegalStateException.class, () -> ctx.requireComplete("ingest"));
        }
    }

    @Test
    void oneOfFourQuarantinedIngestsTheRest(@TempDir Path tmp) throws Exception {
        Path root = fourImages(tmp.resolve("voc"), 1);
        Path run = tmp.resolve("run");
        StageRunner.Outcome o = ingest(run, "dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]");
        assertEquals(3L, ((Number) o.metrics().get("num_images")).longValue());
        assertEquals(1L, ((Number) o.metrics().get("num_quarantined")).longValue());
        assertTrue(Files.exists(run.resolve("ingest/_STAGE.json")));
    }

    @Test
    void theFractionIsAnUpperBoundOnTheListedImages() {
        List<String[]> two = List.of(new String[]{"a", "s", "empty file: /d/a.jpg"},
                new String[]{"b", "s", "empty file: /d/b.jpg"});
        IngestJob.checkQuarantinedFraction(0.5, 4, two, "q"); // exactly half: allowed
        IngestJob.checkQuarantinedFraction(1.0, 2, two, "q"); // all, with 1 = never fail
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IngestJob.checkQuarantinedFraction(0.4, 4, two, "q"));
        assertTrue(e.getMessage().contains("2 of 4 listed images (50.0%)")
                && e.getMessage().contains("2 x empty file: <path> (e.g. a)"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> IngestJob.checkQuarantinedFraction(0.0, 4,
                two.subList(0, 1), "q"));
        IngestJob.checkQuarantinedFraction(0.0, 4, List.of(), "q");
        List<String[]> hundred = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            hundred.add(new String[]{"i" + i, "s", "empty file: /d/i" + i + ".jpg"});
        }
        IngestJob.checkQuarantinedFraction(0.29, 100, hundred.subList(0, 29), "q"); // 29 / 100 is 0.29, not more
        assertThrows(IllegalStateException.class, () -> IngestJob.checkQuarantinedFraction(0.29, 100, hundred, "q"));
    }

    @Test
    void anEmptyDatasetFailsNamingFormatAndRoot(@TempDir Path tmp) throws Exception {
        Path root = fourImages(tmp.resolve("voc"), 0);
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "");
        Path run = tmp.resolve("run");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(run,
                "dataset.format=voc", "dataset.root=" + root, "dataset.classes=[cat, dog]"));
        assertTrue(e.getMessage().contains("lists no images") && e.getMessage().contains("dataset.format = voc")
                && e.getMessage().contains("dataset.root = '" + root + "'"), e.getMessage());
        assertFalse(Files.exists(run.resolve("ingest/_STAGE.json")));
    }
}
