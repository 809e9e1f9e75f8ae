package org.wsss.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills a real `wsss ingest` process while it writes the manifest: what it leaves must not look complete,
 * and running the pipeline again must redo the stage and finish it.
 */
class InterruptedIngestIT {

    @Test
    void killedIngestLeavesNothingThatLooksCompleteAndIsRedone(@TempDir Path run, @TempDir Path logs)
            throws Exception {
        List<String> sets = List.of("--set", "dataset.synthetic.count=3000", "--set", "dataset.synthetic.size=96",
                "--set", "ingest.partitions=60", "--set", "runtime.local-master=local[2]");
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect") || arg.startsWith("-Xmx")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.wsss.cli.Wsss", "ingest"));
        cmd.addAll(sets);
        cmd.addAll(List.of("--run-dir", run.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logs.resolve("ingest.log").toFile()).start();
        try {
            Path writing = run.resolve("ingest/manifest");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(writing) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(p.isAlive(), "ingest finished before it could be interrupted; make the dataset larger");
            assertTrue(Files.exists(writing), "the manifest was never started");
            Thread.sleep(500);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(run.resolve("ingest/_STAGE.json")), "a killed stage has no commit marker");

        Cli.Result next = Cli.run("pipeline", "--from", "ingest", "--until", "ingest", "--set", sets.get(1),
                "--set", sets.get(3), "--set", sets.get(5), "--set", sets.get(7), "--run-dir", run.toString());
        assertEquals(0, next.exitCode(), next.err());
        assertTrue(next.out().contains("ran"), next.out());
        assertTrue(Files.exists(run.resolve("ingest/_STAGE.json")));
        var metrics = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve("ingest/metrics.json").toFile());
        assertEquals(3000, metrics.get("num_images").asLong());
    }
}
