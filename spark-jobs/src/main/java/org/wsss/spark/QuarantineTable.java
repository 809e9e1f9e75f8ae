package org.wsss.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a stage could not use, with the reason ({@link ManifestSchema#QUARANTINE}), and the per-split image counts
 * stages report: the bookkeeping ingest and predict share.
 */
public final class QuarantineTable {
    private static final Logger LOG = LoggerFactory.getLogger(QuarantineTable.class);

    private QuarantineTable() {
    }

    /**
     * Writes reported (image_id, source, reason) triples as one Parquet file, one row per image (task retries may
     * report an image twice; the first report wins), logging each; returns the number of images.
     */
    public static int write(SparkSession spark, String stage, String path, List<String[]> reported) {
        Map<String, String[]> byId = new TreeMap<>();
        for (String[] q : reported) {
            byId.putIfAbsent(q[0], q);
        }
        List<Row> rows = new ArrayList<>();
        for (String[] q : byId.values()) {
            rows.add(RowFactory.create(q[0], q[1], q[2]));
            LOG.warn("{}: quarantined {}: {}", stage, q[0], q[2]);
        }
        spark.createDataFrame(rows, ManifestSchema.QUARANTINE).coalesce(1).write().parquet(path);
        return byId.size();
    }

    /** Rows per value of the {@code split} column of a Parquet table, sorted by split. */
    public static Map<String, Long> imagesPerSplit(SparkSession spark, String path) {
        Map<String, Long> perSplit = new TreeMap<>();
        for (Row r : spark.read().parquet(path).groupBy("split").count().collectAsList()) {
            perSplit.put(r.getString(0), r.getLong(1));
        }
        return perSplit;
    }
}
