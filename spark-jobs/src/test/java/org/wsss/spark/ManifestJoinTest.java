package org.wsss.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.jobs.SparkTestSession;
import scala.Tuple2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestJoinTest {
    static final int IMAGES = 600;
    static final int IMAGE_BYTES = 4096;
    @TempDir
    static Path dir;
    static Map<String, byte[]> imageOf = new HashMap<>();
    static Map<String, String> splitOf = new HashMap<>();
    static Map<String, Integer> gridOf = new HashMap<>();

    static SparkSession spark() {
        return SparkTestSession.get();
    }

    /** A manifest of 600 incompressible 4 KB "images" in 9 files; a narrow table for 2 of every 3 ids, shuffled. */
    @BeforeAll
    static void tables() {
        Random rnd = new Random(5);
        List<Row> manifest = new ArrayList<>();
        List<Row> narrow = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            String id = String.format("img_%04d", i);
            byte[] image = new byte[IMAGE_BYTES];
            rnd.nextBytes(image);
            String split = i % 5 == 0 ? "val" : "train";
            imageOf.put(id, image);
            splitOf.put(id, split);
            manifest.add(RowFactory.create(split, id, image));
            if (i % 3 != 1) {
                gridOf.put(id, i % 17);
                narrow.add(RowFactory.create(id, i % 17, new byte[]{(byte) i, (byte) (i >> 8)}));
            }
        }
        Collections.shuffle(narrow, rnd);
        StructType mSchema = new StructType().add("split", DataTypes.StringType).add("image_id", DataTypes.StringType)
                .add("image", DataTypes.BinaryType);
        StructType nSchema = new StructType().add("image_id", DataTypes.StringType).add("grid", DataTypes.IntegerType)
                .add("cams", DataTypes.BinaryType);
        spark().createDataFrame(manifest, mSchema).repartition(9).write().parquet(dir.resolve("manifest").toString());
        spark().createDataFrame(narrow, nSchema).repartition(3).write().parquet(dir.resolve("narrow").toString());
    }

    static Dataset<Row> manifest() {
        return spark().read().parquet(dir.resolve("manifest").toString());
    }

    static Dataset<Row> narrow() {
        return spark().read().parquet(dir.resolve("narrow").toString());
    }

    /** The joined rows, each as a list of printable values (bytes as hex). */
    static Set<String> printed(Dataset<Row> rows) {
        Set<String> out = new TreeSet<>();
        for (Row r : rows.collectAsList()) {
            List<String> v = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                Object o = r.get(i);
                v.add(o instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(o));
            }
            out.add(String.join(",", v));
        }
        return out;
    }

    @Test
    void sameColumnsAndRowsAsSparksOwnJoinAndEveryRowHandChecked() {
        Dataset<Row> m = manifest().select("image_id", "split", "image");
        ManifestJoin.Joined j = ManifestJoin.join(spark(), m, narrow());
        Dataset<Row> plain = m.join(narrow(), "image_id");
        assertArrayEquals(plain.columns(), j.rows().columns());
        assertEquals(plain.schema(), j.rows().schema());
        assertEquals(gridOf.size(), j.count());
        List<Row> rows = j.rows().collectAsList();
        assertEquals(gridOf.size(), rows.size());
        Set<String> seen = new TreeSet<>();
        for (Row r : rows) {
            String id = r.getString(0);
            assertTrue(seen.add(id), "twice: " + id);
            assertEquals(splitOf.get(id), r.getString(1));
            assertArrayEquals(imageOf.get(id), (byte[]) r.get(2), id);
            assertEquals(gridOf.get(id), r.getInt(3), id);
            int i = Integer.parseInt(id.substring(4));
            assertArrayEquals(new byte[]{(byte) i, (byte) (i >> 8)}, (byte[]) r.get(4), id);
        }
        assertEquals(new TreeSet<>(gridOf.keySet()), seen);
        assertEquals(printed(plain), printed(j.rows()));
    }

    /** A filtered manifest with image_id not first, and narrow rows for ids the filter drops: an inner join. */
    @Test
    void aFilteredManifestKeepsOnlyItsOwnRows() {
        Dataset<Row> m = manifest().filter(col("split").equalTo("train")).select("split", "image", "image_id");
        ManifestJoin.Joined j = ManifestJoin.join(spark(), m, narrow().select("cams", "image_id"));
        Dataset<Row> plain = m.join(narrow().select("cams", "image_id"), "image_id");
        assertArrayEquals(new String[]{"image_id", "split", "image", "cams"}, j.rows().columns());
        long expected = gridOf.keySet().stream().filter(id -> splitOf.get(id).equals("train")).count();
        assertEquals(expected, j.count());
        assertEquals(printed(plain), printed(j.rows()));
    }

    /**
     * The images stay where they are: the join shuffles a small fraction of their bytes (ids, places, CAMs), where
     * Spark's own join shuffles all of them. Broadcast joins are off, as they are for a LID-size table.
     */
    @Test
    void theImageBytesAreNotShuffled() {
        String threshold = spark().conf().get("spark.sql.autoBroadcastJoinThreshold");
        spark().conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
        try {
            long imageBytes = (long) gridOf.size() * IMAGE_BYTES;
            StageResources watch = StageResources.start(spark().sparkContext());
            ManifestJoin.Joined j = ManifestJoin.join(spark(), manifest().select("image_id", "image"), narrow());
            long n = j.rows().javaRDD().map(r -> ((byte[]) r.get(1)).length).count();
            long shuffled = (Long) watch.stop().get("shuffle_bytes");
            assertEquals(gridOf.size(), n);
            assertTrue(shuffled < imageBytes / 20, "shuffled " + shuffled + " bytes for " + imageBytes
                    + " image bytes");

            StageResources plainWatch = StageResources.start(spark().sparkContext());
            long m = manifest().select("image_id", "image").join(narrow(), "image_id").javaRDD()
                    .map(r -> ((byte[]) r.get(1)).length).count();
            long plainShuffled = (Long) plainWatch.stop().get("shuffle_bytes");
            assertEquals(n, m);
            assertTrue(plainShuffled > imageBytes, "Spark's join shuffled " + plainShuffled + " bytes");
        } finally {
            spark().conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
        }
    }

    @Test
    void aManifestSplitOtherwiseThanThePlacesFailsNamingBothIds() {
        Iterator<Row> scan = List.of(RowFactory.create("a", 1), RowFactory.create("b", 2)).iterator();
        Iterator<Tuple2<Long, Row>> placed = List.of(new Tuple2<>(ManifestJoin.place(0, 1),
                RowFactory.create("c", 9))).iterator();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ManifestJoin.Merge(scan, placed, 0).hasNext());
        assertTrue(e.getMessage().contains("holds b in one scan and c in the other"), e.getMessage());

        Iterator<Row> shortScan = List.of(RowFactory.create("a", 1)).iterator();
        Iterator<Tuple2<Long, Row>> beyond = List.of(new Tuple2<>(ManifestJoin.place(0, 3),
                RowFactory.create("d", 9))).iterator();
        e = assertThrows(IllegalStateException.class, () -> new ManifestJoin.Merge(shortScan, beyond, 0).hasNext());
        assertTrue(e.getMessage().contains("image d was placed at position 3"), e.getMessage());
    }

    /** Rows come out in the manifest's order, the id first; a manifest row without a narrow row is skipped. */
    @Test
    void theMergeWalksTheManifestInOrder() {
        Iterator<Row> scan = List.of(RowFactory.create(10, "a"), RowFactory.create(11, "b"),
                RowFactory.create(12, "c")).iterator();
        Iterator<Tuple2<Long, Row>> placed = List.of(
                new Tuple2<>(ManifestJoin.place(4, 0), RowFactory.create("a", "x")),
                new Tuple2<>(ManifestJoin.place(4, 2), RowFactory.create("c", "z"))).iterator();
        List<String> out = new ArrayList<>();
        new ManifestJoin.Merge(scan, placed, 1).forEachRemaining(r -> out.add(Arrays.toString(
                new Object[]{r.get(0), r.get(1), r.get(2)})));
        assertEquals(List.of("[a, 10, x]", "[c, 12, z]"), out);
        assertEquals(4, new ManifestJoin.ByManifestPartition(7).getPartition(ManifestJoin.place(4, 123)));
    }
}
