package org.wsss.synthetic;

import java.util.SplittableRandom;

/**
 * Surface patterns of the hard preset: a weight in [0, 1] that mixes an object's base colour (0) with its
 * second colour (1). Background distractors wear them too, so a pattern alone never names a class.
 */
enum Pattern {
    STRIPES, SPOTS, CHECKER, NOISE, RINGS, HATCH, GLOSS, PLAIN, SPLIT;

    private static final double SPOT_RADIUS = 0.3;
    private static final double HATCH_HALF_WIDTH = 0.14;
    /** Highlight centre (units of the radius, towards the upper left in the object's frame) and spread. */
    private static final double GLOSS_AT = -0.35;
    private static final double GLOSS_SPREAD = 0.06;

    /**
     * @param a      column coordinate in the object's rotated frame, pixels from its centre
     * @param b      row coordinate in that frame
     * @param period the pattern's cell in pixels
     * @param phase  per-instance offset (an angle, radians)
     * @param salt   per-instance value that decorrelates noise between objects
     */
    double weight(double a, double b, double radius, double period, double phase, long salt) {
        return switch (this) {
            case STRIPES -> sharpen(Math.sin(2 * Math.PI * a / period + phase));
            case SPOTS -> {
                double shift = phase / (2 * Math.PI);
                double gx = a / period + shift - Math.floor(a / period + shift) - 0.5;
                double gy = b / period + shift - Math.floor(b / period + shift) - 0.5;
                yield gx * gx + gy * gy < SPOT_RADIUS * SPOT_RADIUS ? 1.0 : 0.0;
            }
            case CHECKER -> ((long) Math.floor(a / period) + (long) Math.floor(b / period) & 1L) == 0 ? 1.0 : 0.0;
            case NOISE -> {
                double cell = Math.max(1.5, period / 3);
                yield Texture.hashUnit(salt, (int) Math.floor(a / cell), (int) Math.floor(b / cell));
            }
            case RINGS -> sharpen(Math.sin(2 * Math.PI * Math.sqrt(a * a + b * b) / period + phase));
            case HATCH -> {
                double da = Math.abs(a / period - Math.floor(a / period) - 0.5);
                double db = Math.abs(b / period - Math.floor(b / period) - 0.5);
                yield Math.max(da, db) > 0.5 - HATCH_HALF_WIDTH ? 1.0 : 0.0;
            }
            case GLOSS -> {
                double du = a / radius - GLOSS_AT;
                double dv = b / radius - GLOSS_AT;
                yield Math.exp(-(du * du + dv * dv) / GLOSS_SPREAD);
            }
            case PLAIN -> 0.0;
            case SPLIT -> a * Math.cos(phase) + b * Math.sin(phase) >= 0 ? 1.0 : 0.0;
        };
    }

    /** The colour a weight of 1 paints, drawn for an object whose base colour is {@code base}. */
    float[] second(float[] base, double hue, double sat, double val, SplittableRandom rng) {
        return switch (this) {
            case GLOSS -> mix(base, new float[] {1f, 1f, 0.95f}, 0.75);
            case PLAIN -> base;
            case SPLIT -> Hsv.toRgb(hue + 100 + rng.nextDouble() * 160, sat, val);
            default -> {
                // a lighter or darker version, so the pattern shows on every base colour
                double shift = 0.3 + rng.nextDouble() * 0.2;
                double v2 = val > 0.6 ? val - shift : val + shift;
                yield Hsv.toRgb(hue + (rng.nextDouble() * 2 - 1) * 30, sat * (0.3 + rng.nextDouble() * 0.7),
                        Math.max(0.05, Math.min(1.0, v2)));
            }
        };
    }

    private static double sharpen(double s) {
        return Math.max(0, Math.min(1, 0.5 + 1.5 * s));
    }

    static float[] mix(float[] a, float[] b, double w) {
        float t = (float) w;
        return new float[] {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
    }
}
