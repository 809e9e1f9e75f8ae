package org.wsss.spark;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Writes one small file (a label PNG, a heatmap) per image. On the local file system Hadoop's create costs 25-30 ms
 * a file on the development machine, against 0.3 ms for java.nio: it forks a chmod for the permission and writes a
 * .crc file beside it; with one PNG per image that was a fifth of random-walk's task time. So local paths are
 * written directly (same content, the umask's permission, no .crc), any other file system through Hadoop.
 */
public final class SmallFiles {
    private SmallFiles() {
    }

    /** Writes (replacing) {@code path} with {@code bytes}, creating its parent folders. */
    public static void write(FileSystem fs, Path path, byte[] bytes) throws IOException {
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            java.nio.file.Path file = (fs instanceof LocalFileSystem l ? l.pathToFile(path)
                    : ((RawLocalFileSystem) fs).pathToFile(path)).toPath();
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            return;
        }
        try (FSDataOutputStream out = fs.create(path, true)) {
            out.write(bytes);
        }
    }
}
