package org.wsss.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs, at a steady interval, partitions done / total, items/s and an ETA for the long phase of a stage.
 * Items are counted by the job through {@link #itemsDone}; partitions through Spark's task-end events.
 */
public final class ProgressListener extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);

    private final String what;
    private final int totalPartitions;
    private final long totalItems;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final AtomicInteger partitionsDone = new AtomicInteger();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime());
    private final org.apache.spark.SparkContext sc;

    private ProgressListener(org.apache.spark.SparkContext sc, String what, int totalPartitions, long totalItems,
                             int intervalSeconds) {
        this.sc = sc;
        this.what = what;
        this.totalPartitions = totalPartitions;
        this.totalItems = totalItems;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
    }

    /** Registers a listener on the context; close it when the phase is over. */
    public static ProgressListener start(org.apache.spark.SparkContext sc, String what, int totalPartitions,
                                         long totalItems, int intervalSeconds) {
        ProgressListener l = new ProgressListener(sc, what, totalPartitions, totalItems, intervalSeconds);
        sc.addSparkListener(l);
        return l;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stageSubmitted) {
        lastLog.set(System.nanoTime());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskInfo().successful()) {
            partitionsDone.incrementAndGet();
        }
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= intervalNanos && lastLog.compareAndSet(last, now)) {
            log(now);
        }
    }

    private void log(long now) {
        int done = Math.min(partitionsDone.get(), totalPartitions);
        double secs = (now - start) / 1e9;
        double fraction = totalPartitions == 0 ? 1 : done / (double) totalPartitions;
        double itemsPerSec = secs > 0 ? fraction * totalItems / secs : 0;
        String eta = fraction > 0 ? String.format("%.0f s", secs * (1 - fraction) / fraction) : "unknown";
        LOG.info("{}: {}/{} partitions, {} images/s, ETA {}", what, done, totalPartitions,
                String.format("%.1f", itemsPerSec), eta);
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
    }
}
