package org.wsss.segsort;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * SegSort's memory banks: the segment prototypes (unit vectors, with their labels) of the last {@code banks}
 * training minibatches of one worker, used as extra, constant prototypes in the segment sorting loss.
 *
 * <p>A minibatch's prototypes are first held as pending and join the banks when the next minibatch's gradient is
 * computed: DL4J scores a minibatch after computing its gradient, and that score must see the memory the gradient
 * saw, not the minibatch's own prototypes a second time.
 */
public final class PrototypeMemory {

    /** One minibatch's prototypes: {@code vectors} row-major [count, depth], {@code labels} [count]. */
    public record Bank(double[] vectors, int[] labels, int depth) {
        public int count() {
            return labels.length;
        }
    }

    private final int banks;
    private final Deque<Bank> committed = new ArrayDeque<>();
    private Bank pending;
    private long share;

    public PrototypeMemory(int banks) {
        if (banks < 0 || banks > 64) {
            throw new IllegalArgumentException("segsort.memory-banks must be in 0..64, got " + banks);
        }
        this.banks = banks;
    }

    public int banks() {
        return banks;
    }

    /** The pending minibatch joins the banks (the oldest bank drops out when there are more than {@code banks}). */
    public void commitPending() {
        if (pending != null) {
            committed.addLast(pending);
            pending = null;
        }
        while (committed.size() > banks) {
            committed.removeFirst();
        }
    }

    /** Holds a minibatch's prototypes until the next {@link #commitPending()}; a memory of 0 banks keeps nothing. */
    public void offer(Bank bank) {
        pending = banks == 0 ? null : bank;
    }

    /** The banks in use, all of one depth: a bank of another depth (a changed network) is dropped. */
    public Bank contents(int depth) {
        committed.removeIf(b -> b.depth() != depth);
        int count = committed.stream().mapToInt(Bank::count).sum();
        double[] vectors = new double[count * depth];
        int[] labels = new int[count];
        int at = 0;
        for (Bank b : committed) {
            System.arraycopy(b.vectors(), 0, vectors, at * depth, b.count() * depth);
            System.arraycopy(b.labels(), 0, labels, at, b.count());
            at += b.count();
        }
        return new Bank(vectors, labels, depth);
    }

    /** Empties the banks when {@code share} is not the one they were filled in (a new worker share began). */
    public void startShare(long share) {
        if (share != this.share) {
            clear();
            this.share = share;
        }
    }

    public void clear() {
        committed.clear();
        pending = null;
    }
}
