package org.wsss.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;
import org.wsss.metrics.PhaseClock;

/**
 * Sums the {@link PhaseClock}s of a stage's tasks on the driver. Like every accumulator updated inside a
 * transformation, a task that Spark re-runs adds its time again: the split then shows the time spent, retries
 * included.
 */
public final class PhaseAccumulator extends AccumulatorV2<PhaseClock, PhaseClock> {
    private PhaseClock clock = new PhaseClock();

    /** A new accumulator registered on the context under the stage's name. */
    public static PhaseAccumulator register(SparkContext sc, String stage) {
        PhaseAccumulator a = new PhaseAccumulator();
        sc.register(a, stage + " phase times");
        return a;
    }

    @Override
    public boolean isZero() {
        return clock.isEmpty();
    }

    @Override
    public AccumulatorV2<PhaseClock, PhaseClock> copy() {
        PhaseAccumulator a = new PhaseAccumulator();
        a.clock = clock.copy();
        return a;
    }

    @Override
    public void reset() {
        clock = new PhaseClock();
    }

    @Override
    public void add(PhaseClock v) {
        clock.addAll(v);
    }

    @Override
    public void merge(AccumulatorV2<PhaseClock, PhaseClock> other) {
        clock.addAll(other.value());
    }

    @Override
    public PhaseClock value() {
        return clock;
    }
}
