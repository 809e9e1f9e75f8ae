package org.wsss.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SmallFilesTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void localPathsGetExactlyTheBytesInNewFoldersWithoutChecksumFiles() throws Exception {
        org.apache.hadoop.fs.LocalFileSystem local = FileSystem.getLocal(new Configuration());
        byte[] a = {1, 2, 3};
        byte[] b = {9, 8};
        SmallFiles.write(local, new Path(dir.resolve("png/x.png").toUri()), a);
        SmallFiles.write(local, new Path("file:" + dir.resolve("png/x.png")), b); // replaces
        SmallFiles.write(local.getRawFileSystem(), new Path(dir.resolve("raw/y.png").toString()), a);
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("png/x.png")));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("raw/y.png")));
        // Hadoop's checksummed local file system would have left .x.png.crc beside it
        try (var files = Files.list(dir.resolve("png"))) {
            assertEquals(List.of("x.png"), files.map(p -> p.getFileName().toString()).toList());
        }
        // and what Hadoop reads back is the same
        try (var in = local.open(new Path(dir.resolve("png/x.png").toUri()))) {
            assertArrayEquals(b, in.readAllBytes());
        }
    }
}
