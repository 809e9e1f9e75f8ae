package org.wsss.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.cli.Wsss;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** One writer per run directory: the second is refused naming the first; a dead holder's lock is taken over. */
class RunDirLockTest {

    private static final Settings SETTINGS = ConfigLoader.load(List.of(),
            List.of("dataset.synthetic.count=6", "dataset.synthetic.size=32"));
    private static final long ME = ProcessHandle.current().pid();

    record Cli(int exitCode, String err) {
    }

    /** The CLI in this JVM; it joins the test session, which its JobContext leaves running (it did not start it). */
    private static synchronized Cli cli(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Wsss.execute(args);
            return new Cli(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    private static JobContext context(Path run) {
        return new JobContext(SETTINGS, run.toString(), SparkTestSession.get());
    }

    /** A pid that was this host's and whose process has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false));
        return p.pid();
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndTheFirstWritersOutputIsUntouched(@TempDir Path run)
            throws Exception {
        try (JobContext first = context(run)) {
            first.lockRunDir("wsss ingest --run-dir " + run);
            StageRunner.run(new IngestJob(), first);
            long marker = Files.getLastModifiedTime(run.resolve("ingest/_STAGE.json")).toMillis();

            Cli second = cli("ingest", "--run-dir", run.toString(), "--set", "dataset.synthetic.count=7");
            assertEquals(2, second.exitCode(), second.err());
            String line = second.err().strip();
            assertFalse(line.contains("\n"), "one line: " + line);
            assertTrue(line.startsWith("wsss ingest: error: run directory " + run + " is in use by `wsss ingest "
                    + "--run-dir " + run + "` (pid " + ME + " on host " + RunDirLock.hostName() + ", since "), line);
            assertTrue(line.endsWith("; wait for it to finish, or delete " + run.resolve("_LOCK")
                    + " if that process is gone"), line);
            assertEquals(marker, Files.getLastModifiedTime(run.resolve("ingest/_STAGE.json")).toMillis(),
                    "the first writer's committed output was not cleared");

            try (JobContext third = context(run)) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> third.lockRunDir("wsss pipeline"));
                assertTrue(e.getMessage().contains("(pid " + ME + " on host "), e.getMessage());
            }
            assertTrue(Files.exists(run.resolve("_LOCK")), "a refused writer leaves the holder's lock alone");
        }
        assertFalse(Files.exists(run.resolve("_LOCK")), "released after a normal run");
    }

    @Test
    void aStaleLockOfADeadProcessOnThisHostIsTakenOver(@TempDir Path run) throws Exception {
        long dead = deadPid();
        Files.writeString(run.resolve("_LOCK"), RunDirLock.json(new RunDirLock.Holder(RunDirLock.hostName(), dead,
                Instant.now().minusSeconds(60).toString(), "wsss ingest --run-dir " + run, "old")));
        try (JobContext ctx = context(run)) {
            ctx.lockRunDir("wsss pipeline");
            RunDirLock.Holder h = RunDirLock.parse(Files.readString(run.resolve("_LOCK")));
            assertEquals(ME, h.pid());
            assertEquals("wsss pipeline", h.command());
        }
        assertFalse(Files.exists(run.resolve("_LOCK")));
        try (Stream<Path> left = Files.list(run)) {
            assertEquals(List.of(), left.toList(), "the stale lock moved aside was deleted");
        }
    }

    @Test
    void aLockFromAnotherHostOrUnreadableIsNotTakenOver(@TempDir Path run) throws Exception {
        long dead = deadPid();
        Files.writeString(run.resolve("_LOCK"), RunDirLock.json(new RunDirLock.Holder("some-other-host", dead,
                "2026-01-01T00:00:00Z", "wsss train-classifier --run-dir r", "t")));
        try (JobContext ctx = context(run)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.lockRunDir("wsss x"));
            assertEquals("run directory " + run + " is in use by `wsss train-classifier --run-dir r` (pid " + dead
                    + " on host some-other-host, since 2026-01-01T00:00:00Z); wait for it to finish, or delete "
                    + run.resolve("_LOCK") + " if that process is gone", e.getMessage());
        }
        Files.writeString(run.resolve("_LOCK"), "{\"host\": ");
        try (JobContext ctx = context(run)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ctx.lockRunDir("wsss x"));
            assertEquals("run directory " + run + " is locked by " + run.resolve("_LOCK") + ", which cannot be "
                    + "read; delete it if no wsss process is using this run directory", e.getMessage());
        }
        assertEquals("{\"host\": ", Files.readString(run.resolve("_LOCK")));
    }

    @Test
    void aPidReusedByAYoungerProcessDoesNotHoldTheLock(@TempDir Path run) throws Exception {
        // This JVM is alive but started long after a lock dated 2001: that lock's holder cannot be this process.
        Files.writeString(run.resolve("_LOCK"), RunDirLock.json(new RunDirLock.Holder(RunDirLock.hostName(), ME,
                "2001-01-01T00:00:00Z", "wsss ingest", "old")));
        try (JobContext ctx = context(run)) {
            ctx.lockRunDir("wsss ingest");
            assertEquals("wsss ingest", RunDirLock.parse(Files.readString(run.resolve("_LOCK"))).command());
            assertNotEquals("old", RunDirLock.parse(Files.readString(run.resolve("_LOCK"))).token());
        }
    }

    @Test
    void theLockIsReleasedAfterAFailingRun(@TempDir Path tmp) throws Exception {
        org.apache.spark.SparkContext shared = SparkTestSession.get().sparkContext();
        Path root = tmp.resolve("voc");
        for (String d : new String[]{"JPEGImages", "Annotations", "ImageSets/Segmentation"}) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "");
        Files.writeString(root.resolve("ImageSets/Segmentation/val.txt"), "");
        Path run = tmp.resolve("run");
        Cli failed = cli("ingest", "--run-dir", run.toString(), "--set", "dataset.format=voc",
                "--set", "dataset.root=" + root, "--set", "dataset.classes=[cat, dog]");
        assertEquals(2, failed.exitCode(), failed.err());
        assertTrue(failed.err().contains("lists no images"), failed.err());
        assertTrue(Files.isDirectory(run), "the run directory was created to hold the lock");
        assertFalse(Files.exists(run.resolve("_LOCK")), "released after a failing run");
        assertFalse(shared.isStopped(), "the CLI's run stopped the session it found running");
        try (JobContext ctx = context(run)) {
            ctx.lockRunDir("wsss ingest");
            assertTrue(Files.exists(run.resolve("_LOCK")));
        }
    }
}
