package org.wsss.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Frees ND4J arrays as soon as one image is done with them. A detached array's off-heap buffer is freed only when
 * the garbage collector finds its small Java object, so per-image arrays pile up off-heap between collections; as
 * the heap grows through a long run the pile grows, and near javacpp's limits every allocation waits for a forced
 * collection: the scale harness saw time per image rise with the dataset's size for that reason alone.
 */
public final class OffHeap {
    private OffHeap() {
    }

    /**
     * Closes each array that owns its buffer ({@link INDArray#closeable()}: not a view, not in a workspace) unless its
     * buffer is also that of an array in {@code keep}; a buffer shared by several of {@code arrays} is closed once.
     */
    public static void close(Collection<INDArray> arrays, INDArray... keep) {
        List<Object> closed = new ArrayList<>();
        for (INDArray a : arrays) {
            if (a == null || a.wasClosed() || !a.closeable()) {
                continue;
            }
            Object buffer = a.data();
            boolean kept = false;
            for (INDArray k : keep) {
                kept |= k != null && (a == k || buffer == k.data());
            }
            boolean done = false;
            for (Object c : closed) {
                done |= c == buffer;
            }
            if (!kept && !done) {
                a.close();
                closed.add(buffer);
            }
        }
    }

    /** {@link #close(Collection, INDArray...)} of the arrays given, keeping none. */
    public static void close(INDArray... arrays) {
        close(Arrays.asList(arrays));
    }

    /** Closes {@code derived} unless it shares a buffer with one of {@code sources} (castTo, reshape may not copy). */
    public static void closeCopy(INDArray derived, INDArray... sources) {
        close(List.of(derived), sources);
    }
}
