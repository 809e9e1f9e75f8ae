package org.wsss.spark;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An inner join on {@code image_id} of the manifest (with its encoded images) and a narrower table (CAMs, affinity
 * labels, pseudo-labels) that moves only the narrow side: a plain join shuffles both sides, so every image's bytes
 * would cross the network once per stage (tens of GB for LID). Here the manifest is read where it lies; the narrow
 * rows are sent to the manifest partition and position of their image (found by a scan of the id column alone) and
 * merged into it as the manifest streams by, one row at a time.
 *
 * <p>The two scans of the manifest (ids, then the wanted columns) are split alike because Spark packs file splits by
 * file sizes alone; the merge still checks every id and fails, naming both, if they ever differ. Where the two scans
 * have different partition counts the plain join is used instead (and logged).
 */
public final class ManifestJoin {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestJoin.class);
    static final String PLACE = "_wsss_place";

    private ManifestJoin() {
    }

    /** The joined rows and how many there are (counted on the narrow side, without reading an image). */
    public record Joined(Dataset<Row> rows, long count) {
    }

    /**
     * {@code manifest.join(narrow, "image_id")}: the same columns in the same order (image_id, the manifest's other
     * columns, the narrow table's other columns) and the same rows, without shuffling the manifest's columns.
     *
     * @param manifest the manifest with the columns wanted (filters allowed), image_id among them
     * @param narrow   the other table, image_id among them, each id at most once
     */
    public static Joined join(SparkSession spark, Dataset<Row> manifest, Dataset<Row> narrow) {
        String[] manifestCols = manifest.columns();
        int mId = Arrays.asList(manifestCols).indexOf("image_id");
        int nId = Arrays.asList(narrow.columns()).indexOf("image_id");
        if (mId < 0 || nId < 0) {
            throw new IllegalArgumentException("ManifestJoin: both tables need an image_id column, got "
                    + Arrays.toString(manifestCols) + " and " + Arrays.toString(narrow.columns()));
        }
        JavaRDD<Row> ids = manifest.select("image_id").javaRDD();
        JavaRDD<Row> wide = manifest.javaRDD();
        StructType schema = joinedSchema(manifest.schema(), narrow.schema());
        int parts = wide.getNumPartitions();
        if (ids.getNumPartitions() != parts) {
            LOG.warn("ManifestJoin: the id scan has {} partitions and the manifest scan {}; joining by a shuffle",
                    ids.getNumPartitions(), parts);
            Dataset<Row> plain = manifest.join(narrow, "image_id");
            return new Joined(plain, plain.count());
        }
        JavaRDD<Row> places = ids.mapPartitionsWithIndex((pid, it) -> new Iterator<Row>() {
            private long pos;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Row next() {
                return RowFactory.create(it.next().getString(0), place(pid, pos++));
            }
        }, true);
        StructType placeSchema = new StructType(new StructField[]{
                DataTypes.createStructField("image_id", DataTypes.StringType, false),
                DataTypes.createStructField(PLACE, DataTypes.LongType, false)});
        // ids and places are small: Spark broadcasts them where they fit, so the narrow rows shuffle once
        Dataset<Row> placed = narrow.join(spark.createDataFrame(places, placeSchema), "image_id");
        int width = placed.columns().length;
        JavaPairRDD<Long, Row> sorted = placed.javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getLong(width - 1), withoutLast(r)))
                .repartitionAndSortWithinPartitions(new ByManifestPartition(parts));
        long count = sorted.count();
        JavaRDD<Row> merged = wide.zipPartitions(sorted, (m, n) -> new Merge(m, n, mId));
        return new Joined(spark.createDataFrame(merged, schema), count);
    }

    static long place(int partition, long position) {
        if (position >= (1L << 32)) {
            throw new IllegalStateException("ManifestJoin: more than 2^32 rows in manifest partition " + partition);
        }
        return ((long) partition << 32) | position;
    }

    static StructType joinedSchema(StructType manifest, StructType narrow) {
        List<StructField> fields = new ArrayList<>();
        fields.add(manifest.apply("image_id"));
        for (StructField f : manifest.fields()) {
            if (!f.name().equals("image_id")) {
                fields.add(f);
            }
        }
        for (StructField f : narrow.fields()) {
            if (!f.name().equals("image_id")) {
                fields.add(f);
            }
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static Row withoutLast(Row r) {
        Object[] v = new Object[r.length() - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.get(i);
        }
        return RowFactory.create(v);
    }

    /** Sends a place to the manifest partition it names; rows sort by position within it. */
    static final class ByManifestPartition extends Partitioner {
        private final int parts;

        ByManifestPartition(int parts) {
            this.parts = parts;
        }

        @Override
        public int numPartitions() {
            return parts;
        }

        @Override
        public int getPartition(Object key) {
            return (int) (((Long) key) >>> 32);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByManifestPartition p && p.parts == parts;
        }

        @Override
        public int hashCode() {
            return parts;
        }
    }

    /**
     * One manifest partition (rows in scan order) merged with its narrow rows (sorted by position, image_id first):
     * a manifest row without a narrow row is dropped, as in an inner join.
     */
    static final class Merge implements Iterator<Row> {
        private final Iterator<Row> manifest;
        private final Iterator<Tuple2<Long, Row>> narrow;
        private final int idColumn;
        private Tuple2<Long, Row> pending;
        private long position = -1;
        private Row current;
        private Row next;

        Merge(Iterator<Row> manifest, Iterator<Tuple2<Long, Row>> narrow, int idColumn) {
            this.manifest = manifest;
            this.narrow = narrow;
            this.idColumn = idColumn;
            this.pending = narrow.hasNext() ? narrow.next() : null;
        }

        @Override
        public boolean hasNext() {
            while (next == null && pending != null) {
                long wanted = pending._1() & 0xffffffffL;
                if (current == null || position < wanted) {
                    if (!manifest.hasNext()) {
                        throw new IllegalStateException("ManifestJoin: image " + pending._2().getString(0)
                                + " was placed at position " + wanted + " of a manifest partition that has "
                                + (position + 1) + " rows: the manifest was split differently by the two scans");
                    }
                    current = manifest.next();
                    position++;
                    continue;
                }
                if (position > wanted) {
                    throw new IllegalStateException("ManifestJoin: narrow rows out of order at position " + wanted);
                }
                Row n = pending._2();
                String id = current.getString(idColumn);
                String nid = n.getString(0);
                if (!id.equals(nid)) {
                    throw new IllegalStateException("ManifestJoin: position " + position + " of a manifest partition "
                            + "holds " + id + " in one scan and " + nid + " in the other");
                }
                next = merge(current, n);
                pending = narrow.hasNext() ? narrow.next() : null;
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = next;
            next = null;
            return r;
        }

        /** The manifest row, id first, then the narrow row's columns after its id (which it holds first). */
        private Row merge(Row m, Row n) {
            Object[] v = new Object[m.length() + n.length() - 1];
            int k = 0;
            v[k++] = m.get(idColumn);
            for (int i = 0; i < m.length(); i++) {
                if (i != idColumn) {
                    v[k++] = m.get(i);
                }
            }
            for (int i = 1; i < n.length(); i++) {
                v[k++] = n.get(i);
            }
            return RowFactory.create(v);
        }
    }
}
