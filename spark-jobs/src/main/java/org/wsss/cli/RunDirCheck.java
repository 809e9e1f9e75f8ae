package org.wsss.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/**
 * Checks a local --run-dir before any work: a run directory that is a file, or lies under one, otherwise ends
 * in a Hadoop stack trace from deep inside the first stage. Remote URIs (hdfs://, s3a://) are left to their
 * file system.
 */
final class RunDirCheck {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private RunDirCheck() {
    }

    /** @throws IllegalArgumentException naming the run directory and what is wrong with it */
    static void requireUsable(String runDir) {
        Path p = localPath(runDir);
        if (p == null) {
            return;
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new IllegalArgumentException("--run-dir " + runDir + ": is a file, not a directory");
        }
        for (Path a = p.getParent(); a != null; a = a.getParent()) {
            if (Files.exists(a)) {
                if (!Files.isDirectory(a)) {
                    throw new IllegalArgumentException("--run-dir " + runDir + ": cannot be created, " + a
                            + " is a file, not a directory");
                }
                return;
            }
        }
    }

    /** The local path of a plain path or a file: URI; null for another scheme. */
    private static Path localPath(String runDir) {
        if (!SCHEME.matcher(runDir).find()) {
            return Paths.get(runDir).toAbsolutePath();
        }
        if (runDir.regionMatches(true, 0, "file:", 0, 5)) {
            return Paths.get(URI.create(runDir).getPath()).toAbsolutePath();
        }
        return null;
    }
}
