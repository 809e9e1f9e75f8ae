package org.wsss.affinity;

/**
 * @param radius  neighbours are cells with 0 &lt; dy² + dx² &lt; radius² (psa: 5)
 * @param beta    W = A^beta elementwise (psa: 8)
 * @param steps   number of transition steps t (psa: 256)
 * @param threads worker threads per walk; maps are split between them
 */
public record RandomWalkParams(int radius, double beta, int steps, int threads) implements java.io.Serializable {

    /**
     * Upper ends of the ranges, those of walk.radius, walk.steps and walk.threads: the cost grows with radius²
     * (radius 1000 took 43 s and 5.9 GB on a 12x12 grid) and linearly with steps.
     */
    public static final int MAX_RADIUS = 16;
    public static final int MAX_STEPS = 100_000;
    public static final int MAX_THREADS = 256;

    public RandomWalkParams {
        if (radius < 1 || radius > MAX_RADIUS) {
            throw new IllegalArgumentException("random walk radius must be in 1.." + MAX_RADIUS + ", got " + radius);
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("random walk beta must be a positive number, got " + beta);
        }
        if (steps < 0 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("random walk steps must be in 0.." + MAX_STEPS + ", got " + steps);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("random walk threads must be in 1.." + MAX_THREADS + ", got " + threads);
        }
    }

    public static RandomWalkParams psa() {
        return new RandomWalkParams(5, 8, 256, 1);
    }
}
