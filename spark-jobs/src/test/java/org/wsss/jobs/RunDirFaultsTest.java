package org.wsss.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A run directory damaged between runs: a stage's commit marker truncated or emptied of its fields. */
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
}
