package org.wsss.jobs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** Split lists written by someone else: ids that try to leave the dataset, ids listed twice. */
class HostileIngestTest {

    private static StageRunner.Outcome ingest(Path runDir, String... sets) throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of(sets));
        try (JobContext ctx = new JobContext(s, runDir.toString(), SparkTestSession.get())) {
            return StageRunner.run(new IngestJob(), ctx);
        }
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
}
