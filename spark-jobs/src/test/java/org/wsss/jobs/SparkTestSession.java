package org.wsss.jobs;

import org.apache.spark.sql.SparkSession;

/** One local[2] SparkSession shared by the unit-level Spark tests of this module (started on first use). */
public final class SparkTestSession {
    private static SparkSession spark;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("wsss-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return spark;
    }
}
