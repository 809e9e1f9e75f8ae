package org.wsss.affinity;

/**
 * @param radius  neighbours are cells with 0 &lt; dy² + dx² &lt; radius² (psa: 5)
 * @param beta    W = A^beta elementwise (psa: 8)
 * @param steps   number of transition steps t (psa: 256)
 * @param threads worker threads per walk; maps are split between them
 */
public record RandomWalkParams(int radius, double beta, int steps, int threads) implements java.io.Serializable {

    public RandomWalkParams {
        if (radius < 1) {
            throw new IllegalArgumentException("random walk radius must be >= 1, got " + radius);
        }
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("random walk beta must be a positive number, got " + beta);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("random walk steps must be >= 0, got " + steps);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("random walk threads must be >= 1, got " + threads);
        }
    }

    public static RandomWalkParams psa() {
        return new RandomWalkParams(5, 8, 256, 1);
    }
}
