package org.wsss.bench;

import org.apache.spark.sql.SparkSession;

/** The local Spark the benchmarks run on: local[N], no UI, nothing else started. */
public final class BenchSpark {
    private BenchSpark() {
    }

    public static SparkSession start(int cores) {
        return SparkSession.builder().master("local[" + cores + "]").appName("wsss-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .getOrCreate();
    }
}
