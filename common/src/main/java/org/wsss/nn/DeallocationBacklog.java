package org.wsss.nn;

import java.lang.reflect.Field;
import java.util.Map;

import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's backlog of arrays waiting to be freed. A detached array's native memory is freed only after the garbage
 * collector has found its Java object dead and one of ND4J's deallocator threads has handled it; until then ND4J
 * keeps a record per buffer on the heap (its {@code DeallocatorService} map of references, with javacpp's own
 * deallocator beside it). While a trainer creates arrays faster than the threads free them, the records pile up:
 * a full collection at a stage's end finds them reachable, so a heap figure taken then counts them, and how many
 * there are depends on how long the stage ran, not on what it keeps. {@link #drain} waits for them to go before the
 * live heap is read.
 */
public final class DeallocationBacklog {

    private DeallocationBacklog() {
    }

    /** Records waiting in ND4J's deallocator service now; -1 when this ND4J does not let it be read. */
    public static long pending() {
        try {
            DeallocatorService service = Nd4j.getDeallocatorService();
            Field f = DeallocatorService.class.getDeclaredField("referenceMap");
            f.setAccessible(true);
            Object map = f.get(service);
            return map instanceof Map<?, ?> m ? m.size() : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Collects and waits until the backlog is gone (at most {@code floor} records) or has stopped shrinking for a
     * second, at most {@code timeoutMillis}; returns the records left (-1 if unreadable, after one collection).
     */
    public static long drain(long floor, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long before = pending();
        if (before < 0) {
            System.gc();
            return -1;
        }
        int still = 0;
        while (System.nanoTime() < deadline) {
            System.gc();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = pending();
            if (now <= floor) {
                return now;
            }
            still = now >= before ? still + 1 : 0;
            if (still >= 4) {
                return now;
            }
            before = now;
        }
        return pending();
    }
}
