package org.wsss.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A partition's rows mapped one at a time, as Spark's writer pulls them, so that a task holds one image's working set
 * instead of its whole partition's output (a partition of 2,000 images with their CAMs or label maps is hundreds of
 * MB). A row the function maps to null is dropped (a quarantined image). {@code atEnd} runs once, after the last
 * row, on the task's thread: where a task adds its phase clock to an accumulator.
 */
public final class RowStream<I, O> implements Iterator<O> {
    /** The per-row work; may throw, which fails the task as it would have in a loop. */
    @FunctionalInterface
    public interface Mapper<I, O> extends Serializable {
        O apply(I row) throws Exception;
    }

    private final Iterator<I> in;
    private final Mapper<I, O> fn;
    private Runnable atEnd;
    private O next;

    private RowStream(Iterator<I> in, Mapper<I, O> fn, Runnable atEnd) {
        this.in = in;
        this.fn = fn;
        this.atEnd = atEnd;
    }

    public static <I, O> Iterator<O> map(Iterator<I> in, Mapper<I, O> fn, Runnable atEnd) {
        return new RowStream<>(in, fn, atEnd);
    }

    @Override
    public boolean hasNext() {
        while (next == null && in.hasNext()) {
            try {
                next = fn.apply(in.next());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        if (next == null && atEnd != null) {
            Runnable r = atEnd;
            atEnd = null;
            r.run();
        }
        return next != null;
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        O o = next;
        next = null;
        return o;
    }
}
