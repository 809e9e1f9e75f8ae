package org.wsss.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs the held-out hostile replay (deploy/heldout/hostile.sh) with the built classes: every case (traversal id,
 * duplicate ids, pixel bomb, deleted part file, corrupt marker, NaN kernel input, two writers) must end with its
 * expected exit code and message, and nothing may be written outside the dataset and run directories.
 */
class HostileReplayIT {
    private static final String[] CASES = {"traversal id", "id in train and val", "pixel bomb", "deleted manifest part",
            "corrupt _STAGE.json", "NaN in random-walk", "second writer", "first writer completes",
            "nothing written outside", "no output named after the traversal id"};

    @Test
    void everyHostileCaseGetsItsExitCodeAndMessage(@TempDir Path work) throws Exception {
        StringBuilder java = new StringBuilder(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect")) {
                java.append(' ').append(arg);
            }
        }
        Path launcher = work.resolve("wsss");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec " + java + " -Xmx2g -cp '"
                + System.getProperty("java.class.path") + "' org.wsss.cli.Wsss \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = work.resolve("replay.log");
        ProcessBuilder pb = new ProcessBuilder("bash", DeployFilesIT.ROOT.resolve("deploy/heldout/hostile.sh").toString(),
                work.resolve("replay").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WSSS", launcher.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the replay did not finish in 15 minutes");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> rows = out.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| case")).toList();
        assertEquals(CASES.length, rows.size(), out);
        for (int i = 0; i < CASES.length; i++) {
            assertTrue(rows.get(i).startsWith("| " + CASES[i]), rows.get(i));
            assertTrue(rows.get(i).contains("| PASS |"), rows.get(i));
        }
    }
}
