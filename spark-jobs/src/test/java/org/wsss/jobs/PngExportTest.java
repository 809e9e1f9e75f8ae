package org.wsss.jobs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.spark.LabelMapSchema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** export-png on a committed predict table of three known label maps (a stand-in stage written through StageRunner). */
class PngExportTest {
    @TempDir
    static Path run;

    static final List<String> IDS = List.of("a", "b/c", "d");

    /** A 3x2 map whose labels encode the image's index, so each exported file can be told apart. */
    static byte[] labels(int index) {
        return new byte[]{(byte) index, 1, 2, 0, (byte) (index + 1), 3};
    }

    /** Writes predict/labels like the real stage's table and commits it. */
    static final class FakePredict implements Stage {
        @Override
        public String name() {
            return PredictJob.NAME;
        }

        @Override
        public String description() {
            return "test stand-in";
        }

        @Override
        public List<String> configPrefixes() {
            return List.of();
        }

        @Override
        public List<String> inputs() {
            return List.of();
        }

        @Override
        public Map<String, Object> run(JobContext ctx) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < IDS.size(); i++) {
                rows.add(RowFactory.create(IDS.get(i), "val", 3, 2,
                        ImageCodec.encodePaletteMask(new LabelMask(3, 2, labels(i)))));
            }
            ctx.spark().createDataFrame(rows, LabelMapSchema.LABELS).repartition(2).write()
                    .parquet(ctx.stagePath(PredictJob.NAME, "labels"));
            return Map.of("num_images", rows.size());
        }
    }

    static JobContext ctx() {
        return new JobContext(ConfigLoader.load(List.of(), List.of()), run.toString(), SparkTestSession.get());
    }

    @BeforeAll
    static void commit() throws Exception {
        try (JobContext ctx = ctx()) {
            StageRunner.run(new FakePredict(), ctx);
        }
    }

    @Test
    void theAskedForImagesAreWrittenWithTheirOwnLabelsAndUnknownIdsAreReported(@TempDir Path out) throws Exception {
        PngExport.Result r;
        try (JobContext ctx = ctx()) {
            r = PngExport.run(ctx, PredictJob.NAME, List.of("b/c", "d", "zzz"), 0, out.toString());
        }
        assertEquals(2, r.written());
        assertEquals(List.of("zzz"), r.missing());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.count(), "only the asked-for images");
        }
        Path bc = out.resolve(LabelMapSchema.pngName("b/c"));
        assertTrue(Files.isRegularFile(bc), "the id's '/' is encoded, the file stays in the folder: " + bc);
        assertArrayEquals(labels(1), ImageCodec.decodeMask(Files.readAllBytes(bc), "b/c").labels());
        assertArrayEquals(labels(2), ImageCodec.decodeMask(Files.readAllBytes(out.resolve("d.png")), "d").labels());
    }

    @Test
    void aLimitTakesTheFirstImagesById(@TempDir Path out) throws Exception {
        try (JobContext ctx = ctx()) {
            assertEquals(2, PngExport.run(ctx, PredictJob.NAME, null, 2, out.toString()).written());
        }
        assertTrue(Files.exists(out.resolve("a.png")));
        assertTrue(Files.exists(out.resolve(LabelMapSchema.pngName("b/c"))));
        assertTrue(Files.notExists(out.resolve("d.png")));
    }

    @Test
    void aStageWithoutLabelsOrNotRunIsRefusedByName(@TempDir Path out) {
        try (JobContext ctx = ctx()) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> PngExport.run(ctx, "make-cams", null, 0, out.toString()));
            assertTrue(bad.getMessage().contains("--stage make-cams"), bad.getMessage());
            IllegalStateException missing = assertThrows(IllegalStateException.class,
                    () -> PngExport.run(ctx, RandomWalkJob.NAME, null, 0, out.toString()));
            assertTrue(missing.getMessage().contains("random-walk"), missing.getMessage());
        }
    }
}
