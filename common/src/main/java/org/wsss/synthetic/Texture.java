package org.wsss.synthetic;

/**
 * Surface patterns, each a value in [-1, 1] added (scaled by a small amplitude) to a flat colour. Every class
 * has its own, but background patches reuse them all, so texture alone does not identify a class.
 */
enum Texture {
    SHADE, STRIPES, DOTS, SPECKLE, CHECKER, WAVES;

    /**
     * @param a      column coordinate in the pattern's own rotated frame, pixels from its centre
     * @param b      row coordinate in that frame
     * @param radius the patch's extent, for patterns that scale with it
     * @param salt   per-patch value that decorrelates speckle between patches
     */
    double value(double a, double b, double radius, double period, double phase, long salt, int x, int y) {
        return switch (this) {
            case SHADE -> Math.max(-1, Math.min(1, -(a * Math.cos(phase) + b * Math.sin(phase)) / radius));
            case STRIPES -> Math.sin(2 * Math.PI * a / period + phase);
            case DOTS -> {
                double gx = a / period - Math.floor(a / period) - 0.5;
                double gy = b / period - Math.floor(b / period) - 0.5;
                yield gx * gx + gy * gy < 0.09 ? 1.0 : -0.35;
            }
            case SPECKLE -> hashUnit(salt, x, y) * 2 - 1;
            case CHECKER -> ((long) Math.floor(a / period) + (long) Math.floor(b / period) & 1L) == 0 ? 1.0 : -1.0;
            case WAVES -> Math.sin(2 * Math.PI * Math.sqrt(a * a + b * b) / period + phase);
        };
    }

    /** Stateless per-pixel noise in [0, 1), so speckle does not depend on drawing order. */
    static double hashUnit(long salt, int x, int y) {
        long z = salt ^ (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL);
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        z ^= z >>> 33;
        return (z >>> 11) * 0x1.0p-53;
    }
}
