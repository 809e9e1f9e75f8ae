package org.wsss.metrics;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryPeaksTest {
    private static final int MB = 1 << 20;

    @Test
    void liveDataHeldAcrossACollectionIsThePeakAfterGc() throws Exception {
        MemoryPeaks peaks = MemoryPeaks.start();
        byte[] held = new byte[96 * MB];
        held[held.length - 1] = 1;
        System.gc();
        // collection notifications arrive on another thread
        long deadline = System.nanoTime() + 5_000_000_000L;
        Map<String, Object> m;
        do {
            Thread.sleep(50);
            m = snapshot(peaks);
        } while (((Number) m.get("heap_after_gc")).longValue() < held.length && System.nanoTime() < deadline);
        Map<String, Object> result = peaks.stop();
        assertTrue(((Number) result.get("heap_after_gc")).longValue() >= held.length, result::toString);
        assertTrue(((Number) result.get("heap_used")).longValue() >= held.length, result::toString);
        assertEquals(1, held[held.length - 1]);
    }

    @Test
    void residentPeakCoversTouchedOffHeapMemory() {
        MemoryPeaks peaks = MemoryPeaks.start();
        ByteBuffer direct = ByteBuffer.allocateDirect(128 * MB);
        for (int i = 0; i < direct.capacity(); i += 4096) {
            direct.put(i, (byte) 1);
        }
        Map<String, Object> result = peaks.stop();
        if (!result.containsKey("rss")) {
            return; // not Linux: nothing to read
        }
        long rss = ((Number) result.get("rss")).longValue();
        assertTrue(rss >= 128L * MB, result::toString);
        assertTrue(rss >= MemoryPeaks.statusKb("VmRSS:") * 1024 - 16L * MB, "the peak is at least what is resident");
    }

    @Test
    void stopReturnsTheSameFiguresOnceStopped() {
        MemoryPeaks peaks = MemoryPeaks.start();
        Map<String, Object> first = peaks.stop();
        byte[] later = new byte[64 * MB];
        System.gc();
        assertSame(first, peaks.stop());
        assertEquals(0, later[0]);
    }

    private static byte[] held;

    /** Live heap after a full collection counts an array while it is reachable and not once it is dropped. */
    @Test
    void liveHeapCountsReachableDataOnly() {
        held = new byte[128 * MB];
        long with = MemoryPeaks.liveHeapNow();
        held = null;
        long without = MemoryPeaks.liveHeapNow();
        assertTrue(with >= 128L * MB, "live heap " + with);
        assertTrue(with - without >= 120L * MB, "dropped 128 MB: " + with + " -> " + without);
    }

    /** Peaks so far without stopping: a second, short-lived watcher would reset them, so read the first one. */
    private static Map<String, Object> snapshot(MemoryPeaks peaks) {
        return Map.of("heap_after_gc", peaks.heapAfterGcSoFar());
    }
}
