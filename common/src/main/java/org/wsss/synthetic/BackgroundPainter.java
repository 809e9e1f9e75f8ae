package org.wsss.synthetic;

import java.util.SplittableRandom;

/**
 * Cluttered backgrounds: a two-colour gradient, low-frequency mottling, textured elongated patches (using the
 * class textures and any hue), soft blobs, thin lines and short bars. None of these is a class outline.
 */
final class BackgroundPainter {
    private static final int MOTTLE_GRID = 5;
    /**
     * Background colours stay below the objects' saturation floor (0.55): clutter of every hue remains, but a
     * small net trained for a few minutes on two cores can still tell objects from it (fully saturated
     * clutter kept its held-out F1 near chance within that budget).
     */
    static final double MAX_SATURATION = 0.45;

    private BackgroundPainter() {
    }

    static void paint(Canvas canvas, SplittableRandom rng) {
        gradient(canvas, rng);
        mottle(canvas, rng);
        int patches = 1 + rng.nextInt(3);
        for (int i = 0; i < patches; i++) {
            texturedPatch(canvas, rng);
        }
        int blobs = 2 + rng.nextInt(4);
        for (int i = 0; i < blobs; i++) {
            softBlob(canvas, rng);
        }
        int strokes = 2 + rng.nextInt(6);
        for (int i = 0; i < strokes; i++) {
            stroke(canvas, rng);
        }
    }

    private static float[] anyColour(SplittableRandom rng, double minSat, double maxSat) {
        return Hsv.toRgb(rng.nextDouble() * 360, minSat + rng.nextDouble() * (maxSat - minSat),
                0.25 + rng.nextDouble() * 0.7);
    }

    private static void gradient(Canvas canvas, SplittableRandom rng) {
        float[] from = anyColour(rng, 0.05, MAX_SATURATION - 0.1);
        float[] to = anyColour(rng, 0.05, MAX_SATURATION - 0.1);
        double angle = rng.nextDouble() * 2 * Math.PI;
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        int n = canvas.size;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                float t = (float) Math.max(0, Math.min(1, ((x - n / 2.0) * dx + (y - n / 2.0) * dy) / n + 0.5));
                canvas.set(x, y, from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1]),
                        from[2] + t * (to[2] - from[2]));
            }
        }
    }

    /** Bilinearly interpolated random brightness and tint on a coarse grid. */
    private static void mottle(Canvas canvas, SplittableRandom rng) {
        int g = MOTTLE_GRID;
        double[][] lum = new double[g][g];
        double[][] tint = new double[g][g];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                lum[i][j] = (rng.nextDouble() * 2 - 1) * 0.12;
                tint[i][j] = (rng.nextDouble() * 2 - 1) * 0.06;
            }
        }
        int n = canvas.size;
        for (int y = 0; y < n; y++) {
            double gy = (double) y / n * (g - 1);
            int j0 = Math.min(g - 2, (int) gy);
            double fy = gy - j0;
            for (int x = 0; x < n; x++) {
                double gx = (double) x / n * (g - 1);
                int i0 = Math.min(g - 2, (int) gx);
                double fx = gx - i0;
                double l = bilinear(lum, i0, j0, fx, fy);
                double t = bilinear(tint, i0, j0, fx, fy);
                float[] c = canvas.get(x, y);
                canvas.set(x, y, (float) (c[0] + l + t), (float) (c[1] + l), (float) (c[2] + l - t));
            }
        }
    }

    private static double bilinear(double[][] v, int i, int j, double fx, double fy) {
        return (1 - fx) * (1 - fy) * v[j][i] + fx * (1 - fy) * v[j][i + 1] + (1 - fx) * fy * v[j + 1][i]
                + fx * fy * v[j + 1][i + 1];
    }

    /** An elongated ellipse (aspect 2..4, so never a disc) filled with a class texture in any colour. */
    private static void texturedPatch(Canvas canvas, SplittableRandom rng) {
        int n = canvas.size;
        double semiMajor = n * (0.1 + rng.nextDouble() * 0.25);
        double semiMinor = semiMajor / (2 + rng.nextDouble() * 2);
        double cx = rng.nextDouble() * n;
        double cy = rng.nextDouble() * n;
        double angle = rng.nextDouble() * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] colour = anyColour(rng, 0.1, MAX_SATURATION);
        Texture texture = Texture.values()[rng.nextInt(Texture.values().length)];
        double amp = 0.04 + rng.nextDouble() * 0.12;
        double period = 3.5 + rng.nextDouble() * 3.5;
        double phase = rng.nextDouble() * 2 * Math.PI;
        long salt = rng.nextLong();
        double alpha = 0.5 + rng.nextDouble() * 0.5;
        int x0 = Math.max(0, (int) (cx - semiMajor));
        int x1 = Math.min(n - 1, (int) (cx + semiMajor) + 1);
        int y0 = Math.max(0, (int) (cy - semiMajor));
        int y1 = Math.min(n - 1, (int) (cy + semiMajor) + 1);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double a = dx * cos + dy * sin;
                double b = -dx * sin + dy * cos;
                if ((a * a) / (semiMajor * semiMajor) + (b * b) / (semiMinor * semiMinor) <= 1) {
                    float t = (float) (amp * texture.value(a, b, semiMajor, period, phase, salt, x, y));
                    canvas.blend(x, y, new float[] {colour[0] + t, colour[1] + t, colour[2] + t}, alpha);
                }
            }
        }
    }

    /** A Gaussian-edged blob: colour without an outline. */
    static void softBlob(Canvas canvas, SplittableRandom rng) {
        int n = canvas.size;
        double sigma = n * (0.04 + rng.nextDouble() * 0.1);
        double cx = rng.nextDouble() * n;
        double cy = rng.nextDouble() * n;
        float[] colour = anyColour(rng, 0.1, MAX_SATURATION);
        double peak = 0.3 + rng.nextDouble() * 0.5;
        int reach = (int) Math.ceil(3 * sigma);
        for (int y = Math.max(0, (int) cy - reach); y <= Math.min(n - 1, (int) cy + reach); y++) {
            for (int x = Math.max(0, (int) cx - reach); x <= Math.min(n - 1, (int) cx + reach); x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                canvas.blend(x, y, colour, peak * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)));
            }
        }
    }

    /** A straight capsule: long and thin (a line) or short and thick (a bar fragment). */
    static void stroke(Canvas canvas, SplittableRandom rng) {
        int n = canvas.size;
        boolean bar = rng.nextBoolean();
        double length = n * (bar ? 0.08 + rng.nextDouble() * 0.2 : 0.3 + rng.nextDouble() * 0.9);
        double halfWidth = bar ? 1.0 + rng.nextDouble() * 2.0 : 0.5 + rng.nextDouble() * 0.9;
        double angle = rng.nextDouble() * Math.PI;
        double ax = rng.nextDouble() * n;
        double ay = rng.nextDouble() * n;
        double bx = ax + length * Math.cos(angle);
        double by = ay + length * Math.sin(angle);
        float[] colour = anyColour(rng, 0.0, MAX_SATURATION);
        double alpha = 0.4 + rng.nextDouble() * 0.55;
        int x0 = Math.max(0, (int) (Math.min(ax, bx) - halfWidth - 1));
        int x1 = Math.min(n - 1, (int) (Math.max(ax, bx) + halfWidth + 1));
        int y0 = Math.max(0, (int) (Math.min(ay, by) - halfWidth - 1));
        int y1 = Math.min(n - 1, (int) (Math.max(ay, by) + halfWidth + 1));
        double vx = bx - ax;
        double vy = by - ay;
        double len2 = vx * vx + vy * vy;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5 - ax;
                double py = y + 0.5 - ay;
                double t = Math.max(0, Math.min(1, (px * vx + py * vy) / len2));
                double ex = px - t * vx;
                double ey = py - t * vy;
                if (ex * ex + ey * ey <= halfWidth * halfWidth) {
                    canvas.blend(x, y, colour, alpha);
                }
            }
        }
    }
}
