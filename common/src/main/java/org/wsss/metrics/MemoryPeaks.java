package org.wsss.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's memory peaks over a stretch of work (a stage): what the driver (and, under a local master, the
 * executors in the same JVM) needed. Three figures, because each answers another question:
 * <ul>
 *   <li>{@code heap_after_gc}: the most heap still in use right after a collection. That is live data plus what
 *   survived by timing, the figure that must stay flat as a dataset grows; 0 when no collection ran.</li>
 *   <li>{@code heap_used}: the sum of the heap pools' peak use, garbage included: what -Xmx must allow for at
 *   the least (an upper bound of the true peak, since the pools peak at different moments).</li>
 *   <li>{@code rss}: the process's resident set peak (Linux VmHWM, reset at the start when the kernel allows it
 *   through /proc/self/clear_refs; otherwise the process's peak so far, and {@code rss_since_start} is false).
 *   It includes ND4J's off-heap buffers and native libraries.</li>
 * </ul>
 * Peaks are process-wide: two stretches measured at once share them.
 */
public final class MemoryPeaks implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final AtomicLong heapAfterGc = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                used += u.getUsed();
            }
            heapAfterGc.accumulateAndGet(used, Math::max);
        }
    };
    private final boolean rssReset;
    private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
    private Map<String, Object> result;

    private MemoryPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
                heapPools.add(pool);
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        rssReset = resetRss();
    }

    /** Resets the peaks and starts watching collections; close it (or call {@link #stop()}) at the end. */
    public static MemoryPeaks start() {
        return new MemoryPeaks();
    }

    /**
     * Stops watching and returns the peaks in bytes, keys {@code heap_after_gc}, {@code heap_used}, {@code rss}
     * (absent where /proc/self/status is not there) and {@code rss_since_start}. Later calls return the same.
     */
    public synchronized Map<String, Object> stop() {
        if (result == null) {
            close();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("heap_after_gc", heapAfterGc.get());
            long used = 0;
            for (MemoryPoolMXBean pool : heapPools) {
                MemoryUsage peak = pool.isValid() ? pool.getPeakUsage() : null;
                used += peak == null ? 0 : peak.getUsed();
            }
            m.put("heap_used", used);
            long rss = statusKb("VmHWM:");
            if (rss >= 0) {
                m.put("rss", rss * 1024);
                m.put("rss_since_start", rssReset);
            }
            result = m;
        }
        return result;
    }

    /**
     * Runs full collections and returns the heap still in use: live data at this moment. A collection hands the
     * off-heap buffers it found dead to ND4J's deallocator threads, whose bookkeeping for each (a reference, an id
     * and a map entry) stays on the heap until they have run: so it collects again, a little later, until the
     * figure stops falling (at most five times). Pauses of its own, so only for a run that measures
     * (runtime.live-heap).
     */
    public static long liveHeapNow() {
        long used = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used * 0.98) {
                return Math.min(now, used);
            }
            used = now;
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return used;
            }
        }
        return used;
    }

    /** The most heap in use after a collection so far, without stopping. */
    public long heapAfterGcSoFar() {
        return heapAfterGc.get();
    }

    @Override
    public synchronized void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already removed by an earlier close
            }
        }
        emitters.clear();
    }

    /** Writing 5 to clear_refs resets the peak resident set (Linux 4.0 on); refused in some sandboxes. */
    private static boolean resetRss() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A "Key:   123 kB" line of /proc/self/status in kB, -1 when absent. */
    static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
