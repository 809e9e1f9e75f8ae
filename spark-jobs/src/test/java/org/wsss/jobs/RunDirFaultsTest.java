package org.wsss.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run directory damaged between runs: a stage's commit marker truncated or emptied of its fields, or a file the
 * stage wrote deleted, cut short or joined by one it did not write.
 */
class RunDirFaultsTest {

    private static final Settings SETTINGS = ConfigLoader.load(List.of(),
            List.of("dataset.synthetic.count=6", "dataset.synthetic.size=32"));

    private static StageRunner.Outcome ingest(Path run) throws Exception {
        try (JobContext ctx = new JobContext(SETTINGS, run.toString(), SparkTestSession.get())) {
            return StageRunner.run(new IngestJob(), ctx);
        }
    }

    private static void assertUnreadableMarkerIsIncompleteAndRerunRecovers(Path run, String corrupt, String why)
            throws Exception {
        Path marker = run.resolve("ingest/_STAGE.json");
        Files.writeString(marker, corrupt);
        try (JobContext ctx = new JobContext(SETTINGS, run.toString(), SparkTestSession.get())) {
            assertNull(ctx.marker("ingest"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.requireComplete("ingest"));
            String m = e.getMessage();
            assertTrue(m.startsWith("the output of stage 'ingest' is missing or incomplete under "), m);
            assertTrue(m.contains("(marker " + ctx.stageDir("ingest") + "/_STAGE.json is unreadable (" + why), m);
            assertTrue(m.endsWith("; run `wsss ingest --run-dir " + run + "` first"),
                    m);
            assertFalse(m.contains("\n"), "one line: " + m);
        }
        StageRunner.Outcome again = ingest(run);
        assertFalse(again.skipped(), "an unreadable marker is no commit: the stage reruns");
        try (JobContext ctx = new JobContext(SETTINGS, run.toString(), SparkTestSession.get())) {
            assertEquals(again.marker().fingerprint(), ctx.requireComplete("ingest").fingerprint());
        }
    }

    @Test
    void aTruncatedOrFieldlessMarkerMeansIncompleteNamesTheFileAndTheStageReruns(@TempDir Path run)
            throws Exception {
        StageRunner.Outcome first = ingest(run);
        assertFalse(first.skipped());
        String json = Files.readString(run.resolve("ingest/_STAGE.json"));
        assertUnreadableMarkerIsIncompleteAndRerunRecovers(run, json.substring(0, json.length() / 2),
                "not valid JSON: Unexpected end-of-input");
        assertUnreadableMarkerIsIncompleteAndRerunRecovers(run, "{\"stage\": \"ingest\"}",
                "field 'fingerprint' is missing)");
        assertUnreadableMarkerIsIncompleteAndRerunRecovers(run, "", "not valid JSON: No content to map");
    }

    @Test
    void aMarkerWithoutAFileListCannotProveCompletenessAndTheStageReruns(@TempDir Path run) throws Exception {
        ingest(run);
        ObjectNode old = (ObjectNode) new ObjectMapper().readTree(run.resolve("ingest/_STAGE.json").toFile());
        old.remove("files");
        old.remove("rows");
        assertUnreadableMarkerIsIncompleteAndRerunRecovers(run, old.toString(), "field 'files' is missing (a "
                + "marker written before stages recorded their files cannot prove the output complete))");
    }

    @Test
    void theMarkerRecordsEveryFileWithItsSizeAndTheRowsOfEachTable(@TempDir Path run) throws Exception {
        ingest(run);
        JsonNode marker = new ObjectMapper().readTree(run.resolve("ingest/_STAGE.json").toFile());
        assertEquals(6, marker.get("rows").get("manifest").asLong(), "dataset.synthetic.count=6");
        assertEquals(0, marker.get("rows").get("quarantine").asLong(), "synthetic images are all readable");
        List<Path> parts = parts(run);
        assertFalse(parts.isEmpty());
        for (Path p : parts) {
            assertEquals(Files.size(p), marker.get("files").get("manifest/" + p.getFileName()).asLong(), p.toString());
        }
        assertEquals(Files.size(run.resolve("ingest/metrics.json")), marker.get("files").get("metrics.json").asLong());
        assertNull(marker.get("files").get("_STAGE.json"), "the marker is not part of the output");
        try (Stream<Path> files = Files.list(run.resolve("ingest/manifest"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".crc")), "Spark wrote .crc files");
        }
        marker.get("files").fieldNames().forEachRemaining(f -> assertFalse(f.contains("/.") || f.startsWith("."),
                "hidden files are not recorded: " + f));
    }

    @Test
    void aPartFileDeletedAfterIngestFailsTheNextStageNamingTheFileAndTheStageToRerun(@TempDir Path run)
            throws Exception {
        ingest(run);
        Path part = parts(run).get(0);
        long size = Files.size(part);
        Files.delete(part);
        try (JobContext ctx = new JobContext(SETTINGS, run.toString(), SparkTestSession.get())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> StageRunner.run(new TrainClassifierJob(), ctx));
            assertEquals("the committed output of stage 'ingest' under " + ctx.stageDir("ingest") + " is incomplete: "
                    + "manifest/" + part.getFileName() + " is missing (recorded " + size + " bytes); rerun stage "
                    + "ingest: `wsss ingest --run-dir " + run + "`", e.getMessage());
            assertNull(ctx.marker("ingest"), "a damaged stage is not committed (report shows it as not run)");
        }
        assertFalse(Files.exists(run.resolve("train-classifier")), "nothing ran on 5 of 6 images");
    }

    @Test
    void aTruncatedGrownOrAddedFileIsDetectedBySize(@TempDir Path run) throws Exception {
        ingest(run);
        Path part = parts(run).get(0);
        byte[] original = Files.readAllBytes(part);
        String name = "manifest/" + part.getFileName();
        try (JobContext ctx = new JobContext(SETTINGS, run.toString(), SparkTestSession.get())) {
            Files.write(part, java.util.Arrays.copyOf(original, original.length / 2));
            assertEquals(name + " has " + original.length / 2 + " bytes, recorded " + original.length + " (truncated)",
                    ctx.commit("ingest").damage());
            Files.write(part, java.util.Arrays.copyOf(original, original.length + 1));
            assertEquals(name + " has " + (original.length + 1) + " bytes, recorded " + original.length
                    + " (changed)", ctx.commit("ingest").damage());
            Files.write(part, original);
            assertNull(ctx.commit("ingest").damage(), "restored: complete again");
            Files.write(run.resolve("ingest/manifest/part-99999-extra.parquet"), new byte[7]);
            assertEquals("manifest/part-99999-extra.parquet (7 bytes) was not written by the stage (added after it "
                    + "committed)", ctx.commit("ingest").damage());
            long metrics = Files.size(run.resolve("ingest/metrics.json"));
            Files.delete(run.resolve("ingest/metrics.json"));
            assertEquals("metrics.json is missing (recorded " + metrics + " bytes) (and 1 more difference)",
                    ctx.commit("ingest").damage());
        }
    }

    @Test
    void pipelineRerunsAStageWhoseFilesChangedInsteadOfSkippingIt(@TempDir Path run) throws Exception {
        ingest(run);
        Path part = parts(run).get(0);
        Files.write(part, new byte[3]);
        try (JobContext ctx = new JobContext(SETTINGS, run.toString(), SparkTestSession.get())) {
            List<StageRunner.Outcome> outcomes = PipelineJob.run(ctx, null, "ingest");
            assertEquals(1, outcomes.size());
            assertFalse(outcomes.get(0).skipped(), "a damaged commit is not up to date");
            assertNull(ctx.commit("ingest").damage());
            assertNotNull(ctx.requireComplete("ingest"));
            assertTrue(PipelineJob.run(ctx, null, "ingest").get(0).skipped(), "an intact commit is skipped");
        }
        assertEquals(6, SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString()).count());
    }

    @Test
    void makeAffinityLabelsWithTheCrfChecksIngestsCommitSinceItReadsTheImages() {
        Settings crf = ConfigLoader.load(List.of(), List.of("affinity.crf=true"));
        Settings plain = ConfigLoader.load(List.of(), List.of("affinity.crf=false"));
        assertEquals(List.of("make-cams", "ingest"), new MakeAffinityLabelsJob().inputs(crf));
        assertEquals(List.of("make-cams"), new MakeAffinityLabelsJob().inputs(plain));
    }

    /** The manifest's Parquet part files, by name. */
    private static List<Path> parts(Path run) throws Exception {
        try (Stream<Path> s = Files.list(run.resolve("ingest/manifest"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
