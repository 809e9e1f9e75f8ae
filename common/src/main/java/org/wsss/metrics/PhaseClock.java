package org.wsss.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elapsed time per named phase of a task's work (decode, network, crf, walk, ...), on the thread that does it,
 * summed over calls and mergeable across tasks, so a stage can say in its metrics.json where its time went. A
 * task runs on one core, so its elapsed time is the core time it holds; native code that fans out to more
 * threads (ND4J's OpenMP) is counted once, as the time the task waited for it.
 *
 * <p>Not thread-safe: one clock per task, merged afterwards.
 */
public final class PhaseClock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What {@link #split} calls the task time outside the measured phases. */
    public static final String OTHER = "other";

    private final LinkedHashMap<String, long[]> phases = new LinkedHashMap<>();

    /** One timed stretch; closing it adds the time since it started to the phase (nothing without a clock). */
    public static final class Lap implements AutoCloseable {
        private final PhaseClock clock;
        private final String phase;
        private final long t0 = System.nanoTime();

        private Lap(PhaseClock clock, String phase) {
            this.clock = clock;
            this.phase = phase;
        }

        @Override
        public void close() {
            if (clock != null) {
                clock.add(phase, System.nanoTime() - t0, 1);
            }
        }
    }

    public Lap start(String phase) {
        return start(this, phase);
    }

    /** A lap on the clock, or one that records nothing when {@code clock} is null (code timed only on request). */
    public static Lap start(PhaseClock clock, String phase) {
        if (phase == null || phase.isBlank() || phase.equals(OTHER)) {
            throw new IllegalArgumentException("phase name must be non-blank and not '" + OTHER + "', got '"
                    + phase + "'");
        }
        return new Lap(clock, phase);
    }

    public void add(String phase, long nanos, long calls) {
        if (nanos < 0 || calls < 0) {
            throw new IllegalArgumentException("phase " + phase + ": negative time " + nanos + " ns or calls "
                    + calls);
        }
        long[] v = phases.computeIfAbsent(phase, k -> new long[2]);
        v[0] += nanos;
        v[1] += calls;
    }

    public void addAll(PhaseClock other) {
        other.phases.forEach((k, v) -> add(k, v[0], v[1]));
    }

    public boolean isEmpty() {
        return phases.isEmpty();
    }

    public double seconds(String phase) {
        long[] v = phases.get(phase);
        return v == null ? 0 : v[0] / 1e9;
    }

    public long calls(String phase) {
        long[] v = phases.get(phase);
        return v == null ? 0 : v[1];
    }

    public List<String> phaseNames() {
        return new ArrayList<>(phases.keySet());
    }

    public PhaseClock copy() {
        PhaseClock c = new PhaseClock();
        c.addAll(this);
        return c;
    }

    /**
     * The metrics of a stage's time: {@code time_split}, one row per phase (in first-use order) and a last row
     * {@value #OTHER} for the rest of the task time (reading input, shuffles, Parquet writing, Spark itself), each
     * with its task seconds and fraction of all task time; {@code task_seconds}; {@code task_cpu_seconds} when
     * known (negative: not known); and the largest row's name and fraction.
     *
     * @param taskSeconds the summed run time of the stage's tasks; when smaller than the phases' sum (a listener
     *                    that missed tasks), the phases' sum is used and {@value #OTHER} is 0
     */
    public Map<String, Object> split(double taskSeconds, double taskCpuSeconds) {
        double measured = 0;
        for (long[] v : phases.values()) {
            measured += v[0] / 1e9;
        }
        double total = Math.max(taskSeconds, measured);
        List<Map<String, Object>> rows = new ArrayList<>();
        String largest = OTHER;
        double largestSeconds = -1;
        for (Map.Entry<String, long[]> e : phases.entrySet()) {
            double s = e.getValue()[0] / 1e9;
            rows.add(row(e.getKey(), s, total, e.getValue()[1]));
            if (s > largestSeconds) {
                largest = e.getKey();
                largestSeconds = s;
            }
        }
        double other = total - measured;
        rows.add(row(OTHER, other, total, 0));
        if (other > largestSeconds) {
            largest = OTHER;
            largestSeconds = other;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task_seconds", total);
        if (taskCpuSeconds >= 0) {
            m.put("task_cpu_seconds", taskCpuSeconds);
        }
        m.put("largest_phase", largest);
        m.put("largest_phase_fraction", total > 0 ? largestSeconds / total : 0.0);
        m.put("time_split", rows);
        return m;
    }

    private static Map<String, Object> row(String phase, double seconds, double total, long calls) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("phase", phase);
        r.put("task_seconds", seconds);
        r.put("fraction", total > 0 ? seconds / total : 0.0);
        r.put("calls", calls);
        return r;
    }
}
