package org.wsss.jobs;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.cam.FloatBytes;
import org.wsss.config.ConfigLoader;
import org.wsss.spark.CamSchema;
import org.wsss.spark.LabelMapSchema;
import org.wsss.spark.ManifestSchema;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Per-image files named from hostile ids (ids that reached a table before ingest checked them, or a table written
 * by hand) stay inside their stage folder, under the encoded name.
 */
class HostileIdFilesTest {

    private static final String EVIL = "../../outside/evil";
    private static final String EVIL_NAME = "%2E%2E%2F%2E%2E%2Foutside%2Fevil";

    @Test
    void heatmapsOfAHostileIdAreWrittenInsideTheHeatmapFolderUnderTheEncodedName(@TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path run = tmp.resolve("run");
        java.nio.file.Path outside = Files.createDirectories(run.resolve("outside"));
        Files.writeString(outside.resolve("evil_c1.png"), "precious");
        try (JobContext ctx = new JobContext(ConfigLoader.load(List.of(), List.of()), run.toString(),
                SparkTestSession.get())) {
            Row row = RowFactory.create(EVIL, "train", 4, 4, ManifestSchema.seq(List.of(1)), 2, 2, 2,
                    FloatBytes.encode(new float[]{0f, 0.5f, 1f, 0.25f}), ManifestSchema.seq(List.of(0.9f)),
                    ManifestSchema.seq(List.of()));
            ctx.spark().createDataFrame(List.of(row), CamSchema.CAMS).write()
                    .parquet(ctx.stagePath(MakeCamsJob.NAME, "cams"));
            MakeCamsJob.writeHeatmaps(ctx, 10);
        }
        assertEquals("precious", Files.readString(outside.resolve("evil_c1.png")), "the file outside is untouched");
        try (Stream<java.nio.file.Path> files = Files.list(outside)) {
            assertEquals(List.of("evil_c1.png"), files.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<java.nio.file.Path> files = Files.list(run.resolve("make-cams/heatmaps"))) {
            assertEquals(List.of(EVIL_NAME + "_c1.png"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).collect(Collectors.toList()));
        }
    }

    @Test
    void labelPngsOfAHostileIdAreNamedInsideThePngFolder(@TempDir java.nio.file.Path tmp) throws Exception {
        // random-walk and predict write new Path(pngDir, LabelMapSchema.pngName(id)); the report reads the same.
        Path pngDir = new Path(tmp.resolve("predict/png").toString());
        Path p = new Path(pngDir, LabelMapSchema.pngName(EVIL));
        assertEquals(EVIL_NAME + ".png", p.getName());
        assertEquals(pngDir, p.getParent());
        org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(new org.apache.hadoop.conf.Configuration());
        try (var o = fs.create(p, true)) {
            o.write(new byte[]{1, 2, 3});
        }
        try (Stream<java.nio.file.Path> files = Files.list(tmp.resolve("predict/png"))) {
            assertEquals(List.of(EVIL_NAME + ".png"), files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).toList(), "Hadoop's checksum files aside");
        }
        try (Stream<java.nio.file.Path> files = Files.list(tmp)) {
            assertEquals(List.of("predict"), files.map(f -> f.getFileName().toString()).toList());
        }
    }
}
