package org.wsss.synthetic;

import java.util.SplittableRandom;

/**
 * Photo-like backgrounds for the hard preset: multi-octave value noise through a random three-colour ramp
 * (any hue), a brightness gradient, soft blobs, thin lines, and distractor objects (ellipses, bars,
 * crescents) that wear the class patterns and saturated colours but none of the class silhouettes.
 */
final class HardBackground {
    /** Lattice cells across the image per octave, and each octave's amplitude: coarse shapes, fine grain. */
    private static final int[] OCTAVE_CELLS = {2, 4, 8, 16, 32};
    private static final double[] OCTAVE_AMPS = {1.0, 0.55, 0.3, 0.18, 0.1};
    /** The ramp's colours stay below most objects' saturation, but overlap it: colour alone does not segment. */
    static final double MAX_SATURATION = 0.6;

    private enum Distractor { ELLIPSE, BAR, CRESCENT }

    private HardBackground() {
    }

    static void paint(Canvas canvas, SplittableRandom rng) {
        valueNoise(canvas, rng);
        int blobs = 1 + rng.nextInt(3);
        for (int i = 0; i < blobs; i++) {
            BackgroundPainter.softBlob(canvas, rng);
        }
        int distractors = 1 + rng.nextInt(4);
        for (int i = 0; i < distractors; i++) {
            distractor(canvas, rng);
        }
        int strokes = 1 + rng.nextInt(4);
        for (int i = 0; i < strokes; i++) {
            BackgroundPainter.stroke(canvas, rng);
        }
    }

    private static void valueNoise(Canvas canvas, SplittableRandom rng) {
        int n = canvas.size;
        double hue = rng.nextDouble() * 360;
        float[][] ramp = new float[3][];
        for (int i = 0; i < 3; i++) {
            ramp[i] = Hsv.toRgb(hue + (rng.nextDouble() * 2 - 1) * 90, 0.05 + rng.nextDouble() * (MAX_SATURATION
                    - 0.05), 0.2 + rng.nextDouble() * 0.7);
        }
        double[][][] lattices = new double[OCTAVE_CELLS.length][][];
        double roughness = 0.5 + rng.nextDouble();
        double total = 0;
        for (int o = 0; o < OCTAVE_CELLS.length; o++) {
            int g = OCTAVE_CELLS[o] + 1;
            lattices[o] = new double[g][g];
            for (int j = 0; j < g; j++) {
                for (int i = 0; i < g; i++) {
                    lattices[o][j][i] = rng.nextDouble();
                }
            }
            total += amp(o, roughness);
        }
        double angle = rng.nextDouble() * 2 * Math.PI;
        double gx = Math.cos(angle);
        double gy = Math.sin(angle);
        double gradient = 0.1 + rng.nextDouble() * 0.3;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double v = 0;
                for (int o = 0; o < OCTAVE_CELLS.length; o++) {
                    v += amp(o, roughness) * sample(lattices[o], OCTAVE_CELLS[o], (x + 0.5) / n, (y + 0.5) / n);
                }
                double t = Math.max(0, Math.min(1, (v / total - 0.5) * 2.2 + 0.5));
                float[] c = t < 0.5 ? Pattern.mix(ramp[0], ramp[1], 2 * t) : Pattern.mix(ramp[1], ramp[2], 2 * t - 1);
                float gain = (float) (1 + gradient * (((x - n / 2.0) * gx + (y - n / 2.0) * gy) / n));
                canvas.set(x, y, c[0] * gain, c[1] * gain, c[2] * gain);
            }
        }
    }

    /** Rougher backgrounds keep more of their fine octaves. */
    private static double amp(int octave, double roughness) {
        return OCTAVE_AMPS[octave] * Math.pow(roughness, octave);
    }

    /** Smoothstep-interpolated lattice value at (u, v) in [0, 1]^2. */
    private static double sample(double[][] lattice, int cells, double u, double v) {
        double gx = u * cells;
        double gy = v * cells;
        int i = Math.min(cells - 1, (int) gx);
        int j = Math.min(cells - 1, (int) gy);
        double fx = smooth(gx - i);
        double fy = smooth(gy - j);
        return (1 - fx) * (1 - fy) * lattice[j][i] + fx * (1 - fy) * lattice[j][i + 1]
                + (1 - fx) * fy * lattice[j + 1][i] + fx * fy * lattice[j + 1][i + 1];
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    /** An object-sized shape that is no class silhouette, in a class pattern and any colour. */
    private static void distractor(Canvas canvas, SplittableRandom rng) {
        int n = canvas.size;
        Distractor kind = Distractor.values()[rng.nextInt(Distractor.values().length)];
        double r = Math.max(HardObject.MIN_RADIUS_PX, n * (0.08 + rng.nextDouble() * 0.17));
        double cx = rng.nextDouble() * n;
        double cy = rng.nextDouble() * n;
        double angle = rng.nextDouble() * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double aspect = kind == Distractor.BAR ? 2.5 + rng.nextDouble() * 2.5 : 1.8 + rng.nextDouble() * 1.7;
        Pattern pattern = Pattern.values()[rng.nextInt(Pattern.values().length)];
        double[] hsv = HardClass.Palette.ANY.draw(rng);
        float[] base = Hsv.toRgb(hsv[0], hsv[1], hsv[2]);
        float[] second = pattern.second(base, hsv[0], hsv[1], hsv[2], rng);
        double period = Math.max(HardObject.MIN_PERIOD_PX, r * (0.3 + rng.nextDouble() * 0.2));
        double phase = rng.nextDouble() * 2 * Math.PI;
        long salt = rng.nextLong();
        double alpha = 0.7 + rng.nextDouble() * 0.3;
        for (int y = Math.max(0, (int) (cy - r)); y <= Math.min(n - 1, (int) (cy + r)); y++) {
            for (int x = Math.max(0, (int) (cx - r)); x <= Math.min(n - 1, (int) (cx + r)); x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double a = dx * cos + dy * sin;
                double b = -dx * sin + dy * cos;
                if (inside(kind, a / r, b / r, aspect)) {
                    canvas.blend(x, y, Pattern.mix(base, second, pattern.weight(a, b, r, period, phase, salt)),
                            alpha);
                }
            }
        }
    }

    /** (u, v) in units of the half-length r; elongated or hollowed, so never a disc, square, triangle or star. */
    private static boolean inside(Distractor kind, double u, double v, double aspect) {
        return switch (kind) {
            case ELLIPSE -> u * u + (v * aspect) * (v * aspect) <= 1;
            case BAR -> Math.abs(u) <= 1 && Math.abs(v) <= 1 / aspect;
            case CRESCENT -> u * u + v * v <= 0.64 && (u - 0.35) * (u - 0.35) + v * v > 0.45;
        };
    }
}
