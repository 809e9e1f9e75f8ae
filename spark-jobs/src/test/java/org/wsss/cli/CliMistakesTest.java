package org.wsss.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.jobs.VocFixture;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ordinary mistakes get one line naming the path and what is wrong, exit code 2, before any Spark work.
 */
class CliMistakesTest {

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
}
