package org.wsss.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs, at a steady interval, partitions done / total, items/s and an ETA for the long phase of a stage, and sums
 * the run time and CPU time of every task that ends while it listens (Spark's own task metrics), which the stage's
 * time split ({@link org.wsss.metrics.PhaseClock#split}) divides among its phases.
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
    private final AtomicLong taskRunMillis = new AtomicLong();
    private final AtomicLong taskCpuNanos = new AtomicLong();
    private volatile boolean drained;
    private final org.apache.spark.SparkContext sc;

    private ProgressListener(org.apache.spark.SparkContext sc, String what, int totalPartitions, long totalItems,
                             int intervalSeconds) {
        this.sc = sc;
        this.what = what;
        this.totalPartitions = totalPartitions;
        this.totalItems = totalItems;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
    }

    /** Registers a listener on the context; close it when the phase is over. totalItems -1: not known. */
    public static ProgressListener start(org.apache.spark.SparkContext sc, String what, int totalPartitions,
                                         long totalItems, int intervalSeconds) {
        ProgressListener l = new ProgressListener(sc, what, totalPartitions, totalItems, intervalSeconds);
        sc.addSparkListener(l);
        return l;
    }

    /** A listener that only sums task times (it logs nothing): for phases whose progress is logged otherwise. */
    public static ProgressListener taskTimes(org.apache.spark.SparkContext sc) {
        ProgressListener l = new ProgressListener(sc, "task times", 0, -1, Integer.MAX_VALUE);
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
        org.apache.spark.executor.TaskMetrics tm = taskEnd.taskMetrics();
        if (tm != null) { // null for a task that failed before reporting
            taskRunMillis.addAndGet(tm.executorRunTime());
            taskCpuNanos.addAndGet(tm.executorCpuTime());
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
        String eta = fraction > 0 ? String.format("%.0f s", secs * (1 - fraction) / fraction) : "unknown";
        if (totalItems < 0) {
            LOG.info("{}: {}/{} partitions, ETA {}", what, done, totalPartitions, eta);
            return;
        }
        double itemsPerSec = secs > 0 ? fraction * totalItems / secs : 0;
        LOG.info("{}: {}/{} partitions, {} images/s, ETA {}", what, done, totalPartitions,
                String.format("%.1f", itemsPerSec), eta);
    }

    /** Summed run time of the tasks that ended so far; after {@link #close()}, of all the phase's tasks. */
    public double taskSeconds() {
        return taskRunMillis.get() / 1e3;
    }

    /** Summed CPU time of the tasks' threads, -1 when the events may be incomplete (see {@link #close()}). */
    public double taskCpuSeconds() {
        return drained ? taskCpuNanos.get() / 1e9 : -1;
    }

    /**
     * Waits (up to 10 s) for the listener bus to deliver the events of the tasks that already ended, since Spark
     * posts them asynchronously, then stops listening.
     */
    @Override
    public void close() {
        try {
            sc.listenerBus().waitUntilEmpty(10_000);
            drained = true;
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("{}: task metrics still queued after 10 s; the time split may miss some tasks", what);
        } finally {
            sc.removeSparkListener(this);
        }
    }
}
