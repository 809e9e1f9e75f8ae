package org.wsss.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.config.Params;
import org.wsss.config.Settings;

/**
 * Starts or joins the SparkSession. Under spark-submit the master and everything else come from spark-submit;
 * run on its own, wsss uses runtime.local-master (local[*] by default).
 */
public final class Sessions {
    private Sessions() {
    }

    public static SparkSession getOrCreate(Settings settings, String appName) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(settings.get(Params.Runtime.LOCAL_MASTER));
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.sql.shuffle.partitions", "8");
            limitNativeThreads(settings.get(Params.Runtime.NATIVE_THREADS));
        }
        conf.setIfMissing("spark.app.name", appName);
        // Stage outputs are written once under their own folder and committed by a marker file, so the
        // Parquet summary files and the _SUCCESS marker of Hadoop's committer are not what we rely on.
        conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** Local executors share this JVM, so ND4J's process-wide thread limit applies to every task. */
    private static void limitNativeThreads(int threads) {
        if (threads > 0) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
        }
    }
}
