package org.wsss.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.metrics.MemoryPeaks;
import org.wsss.nn.DeallocationBacklog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one stage cost the cluster, summed from Spark's own task metrics while it runs: tasks, Spark jobs, shuffle
 * and I/O bytes, the largest task's execution memory, and the executors' JVM heap peak where Spark polled it; with
 * the driver JVM's memory peaks ({@link MemoryPeaks}; under a local master the executors share that JVM). These
 * go into every stage's metrics.json under {@code resources}, so a run at any size shows what grows with it.
 */
public final class StageResources extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageResources.class);

    private final SparkContext sc;
    private final MemoryPeaks memory = MemoryPeaks.start();
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong failedTasks = new AtomicLong();
    private final AtomicLong jobs = new AtomicLong();
    private final AtomicLong shuffleRead = new AtomicLong();
    private final AtomicLong shuffleWrite = new AtomicLong();
    private final AtomicLong inputBytes = new AtomicLong();
    private final AtomicLong outputBytes = new AtomicLong();
    private final AtomicLong peakExecutionMemory = new AtomicLong();
    private final AtomicLong executorPeakHeap = new AtomicLong();
    private boolean drained;
    private boolean closed;

    private StageResources(SparkContext sc) {
        this.sc = sc;
    }

    public static StageResources start(SparkContext sc) {
        StageResources r = new StageResources(sc);
        sc.addSparkListener(r);
        return r;
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        jobs.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        tasks.incrementAndGet();
        if (!end.taskInfo().successful()) {
            failedTasks.incrementAndGet();
        }
        TaskMetrics tm = end.taskMetrics();
        if (tm != null) { // null for a task that failed before reporting
            shuffleRead.addAndGet(tm.shuffleReadMetrics().totalBytesRead());
            shuffleWrite.addAndGet(tm.shuffleWriteMetrics().bytesWritten());
            inputBytes.addAndGet(tm.inputMetrics().bytesRead());
            outputBytes.addAndGet(tm.outputMetrics().bytesWritten());
            peakExecutionMemory.accumulateAndGet(tm.peakExecutionMemory(), Math::max);
        }
        ExecutorMetrics em = end.taskExecutorMetrics();
        if (em != null) { // zero unless Spark polled the executor while the task ran
            executorPeakHeap.accumulateAndGet(em.getMetricValue("JVMHeapMemory"), Math::max);
        }
    }

    /**
     * Stops listening (after the listener bus has delivered what ended, up to 10 s) and returns the figures:
     * counts, bytes, and {@code driver_peak_*} from the driver JVM. {@code shuffle_bytes} is what the stage's
     * shuffles wrote, which is what its next tasks read back.
     */
    public Map<String, Object> stop() {
        return stop(false);
    }

    /** As {@link #stop()}; with {@code liveHeap}, after a full collection, adds {@code driver_live_heap}. */
    public Map<String, Object> stop(boolean liveHeap) {
        close();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tasks", tasks.get());
        m.put("failed_tasks", failedTasks.get());
        m.put("spark_jobs", jobs.get());
        m.put("shuffle_bytes", shuffleWrite.get());
        m.put("shuffle_read_bytes", shuffleRead.get());
        m.put("input_bytes", inputBytes.get());
        m.put("output_bytes", outputBytes.get());
        m.put("task_peak_execution_memory", peakExecutionMemory.get());
        if (executorPeakHeap.get() > 0) {
            m.put("executor_peak_heap", executorPeakHeap.get());
        }
        Map<String, Object> driver = memory.stop();
        m.put("driver_peak_heap", driver.get("heap_after_gc"));
        m.put("driver_peak_heap_used", driver.get("heap_used"));
        if (driver.containsKey("rss")) {
            m.put("driver_peak_rss", driver.get("rss"));
            m.put("driver_peak_rss_since_start", driver.get("rss_since_start"));
        }
        if (liveHeap) {
            // the records of arrays ND4J has not freed yet are no data of the stage's: read the heap once they are gone
            m.put("nd4j_pending_deallocations", DeallocationBacklog.pending());
            m.put("nd4j_pending_after_drain", DeallocationBacklog.drain(1000, 120_000));
            m.put("driver_live_heap", MemoryPeaks.liveHeapNow());
        }
        if (!drained) {
            m.put("incomplete", true);
        }
        return m;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sc.listenerBus().waitUntilEmpty(10_000);
            drained = true;
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("stage resources: task metrics still queued after 10 s; the counts may miss some tasks");
        } finally {
            sc.removeSparkListener(this);
            memory.close();
        }
    }
}
