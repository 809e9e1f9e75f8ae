package org.wsss.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.jobs.IngestJob;
import org.wsss.jobs.JobContext;
import org.wsss.jobs.SparkTestSession;
import org.wsss.jobs.StageMarker;
import org.wsss.jobs.StageRunner;
import org.wsss.jobs.VocFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ordinary mistakes get one line naming the path and what is wrong, exit code 2, before any Spark work; secrets in
 * the config never reach the terminal or the run directory.
 */
class CliMistakesTest {

    private static final String ROOT_WITH_SECRET = "s3a://AKIAEXAMPLEKEY:wJalrXUt/nFEMI+K7MDENG@my-bucket/voc";
    private static final String ROOT_MASKED = "s3a://***@my-bucket/voc";

    @Test
    void aRunDirectoryThatIsAFileOrLiesUnderOneIsNamed(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "not a run directory");
        assertEquals("--run-dir " + file + ": is a file, not a directory",
                CliRun.usageError("ingest", "ingest", "--run-dir", file.toString()));
        Path under = file.resolve("run1");
        assertEquals("--run-dir " + under + ": cannot be created, " + file + " is a file, not a directory",
                CliRun.usageError("pipeline", "pipeline", "--run-dir", under.toString()));
        assertEquals("--run-dir file:" + under + ": cannot be created, " + file + " is a file, not a directory",
                CliRun.usageError("report", "report", "--run-dir", "file:" + under));
        assertEquals("not a run directory", Files.readString(file), "the file is left alone");
    }

    @Test
    void pointsThatAreAFolderAreNamed(@TempDir Path tmp) throws Exception {
        Path root = VocFixture.create(tmp.resolve("voc"));
        Path points = Files.createDirectory(tmp.resolve("points"));
        assertEquals("dataset.points " + points + ": is a directory; give the JSON-lines file of points",
                CliRun.usageError("ingest", "ingest", "--run-dir", tmp.resolve("run").toString(),
                        "--set", "dataset.format=voc", "--set", "dataset.root=" + root,
                        "--set", "dataset.classes=[cat, dog]", "--set", "dataset.points=" + points));
    }

    @Test
    void configPrintsCredentialsInADatasetUriMasked() {
        CliRun.Result r = CliRun.run("config", "--set", "dataset.format=voc", "--set",
                "dataset.root=\"" + ROOT_WITH_SECRET + "\"");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("dataset.root = \"" + ROOT_MASKED + "\"\n"), r.out());
        assertFalse(r.out().contains("AKIAEXAMPLEKEY") || r.out().contains("wJalrXUt"), r.out());
    }

    @Test
    void theConfigRecordedInTheStageMarkerHasCredentialsMasked(@TempDir Path run) throws Exception {
        // the synthetic dataset never reads dataset.root, so the stage runs and records it
        Settings s = ConfigLoader.load(List.of(), List.of("dataset.synthetic.count=4", "dataset.synthetic.size=32",
                "dataset.root=\"" + ROOT_WITH_SECRET + "\""));
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
        }
        String json = Files.readString(run.resolve("ingest/_STAGE.json"));
        assertFalse(json.contains("AKIAEXAMPLEKEY") || json.contains("wJalrXUt"), json);
        String config = StageMarker.parse(json).config();
        assertTrue(config.contains("dataset.root = \"" + ROOT_MASKED + "\"\n"), config);
    }
}
