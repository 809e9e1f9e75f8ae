package org.wsss.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RandomWalkTest {

    /**
     * Dense psa reference: A (N x N, self 1), W = A^beta, T = W / column sums, result = V . T^t, with T^t
     * formed by squaring (as psa does; t a power of two) or by t vector-matrix products.
     */
    private static double[][] denseWalk(float[] maps, int k, float[] features, int depth, int h, int w,
                                        int radius, double beta, int steps, boolean squaring) {
        int n = h * w;
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int dy = j / w - i / w;
                int dx = j % w - i % w;
                int d2 = dy * dy + dx * dx;
                double a;
                if (i == j) {
                    a = 1.0;
                } else if (d2 < radius * radius) {
                    double sum = 0;
                    for (int d = 0; d < depth; d++) {
                        sum += Math.abs((double) features[d * n + i] - features[d * n + j]);
                    }
                    a = Math.exp(-sum / depth);
                } else {
                    a = 0.0;
                }
                t[i][j] = Math.pow(a, beta);
            }
        }
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < n; i++) {
                col += t[i][j];
            }
            for (int i = 0; i < n; i++) {
                t[i][j] /= col;
            }
        }
        double[][] v = new double[k][n];
        for (int m = 0; m < k; m++) {
            for (int i = 0; i < n; i++) {
                v[m][i] = maps[m * n + i];
            }
        }
        if (squaring) {
            double[][] p = t;
            for (int s = 1; s < steps; s *= 2) {
                p = multiply(p, p);
            }
            return multiply(v, p);
        }
        for (int s = 0; s < steps; s++) {
            v = multiply(v, t);
        }
        return v;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int rows = a.length;
        int inner = b.length;
        int cols = b[0].length;
        double[][] c = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < inner; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                double[] ci = c[i];
                for (int j = 0; j < cols; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    private static float[] random(Random rnd, int size, float lo, float hi) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = lo + (hi - lo) * rnd.nextFloat();
        }
        return a;
    }

    private static void assertMatchesDense(long seed, int h, int w, int depth, int k, int radius, int steps,
                                           int threads) {
        assertMatchesDense(seed, h, w, depth, k, radius, steps, threads, false);
    }

    private static void assertMatchesDense(long seed, int h, int w, int depth, int k, int radius, int steps,
                                           int threads, boolean squaring) {
        Random rnd = new Random(seed);
        int n = h * w;
        float[] features = random(rnd, depth * n, 0f, 1.5f);
        // maps bounded away from 0 so an elementwise relative difference is meaningful
        float[] maps = random(rnd, k * n, 0.05f, 1f);
        double beta = 8;
        AffinityField field = RandomWalk.affinitiesFromFeatures(features, depth, h, w, radius);
        float[] sparse = RandomWalk.propagate(maps, k, field, beta, steps, threads);
        double[][] dense = denseWalk(maps, k, features, depth, h, w, radius, beta, steps, squaring);
        double worst = 0;
        for (int m = 0; m < k; m++) {
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, Math.abs(sparse[m * n + i] - dense[m][i]) / Math.abs(dense[m][i]));
            }
        }
        assertTrue(worst <= 1e-4, h + "x" + w + " r=" + radius + " t=" + steps + ": max relative difference "
                + worst);
    }

    @Test
    void oneTwoThreeStepsMatchDenseRadius5() {
        for (int steps : new int[] {1, 2, 3}) {
            assertMatchesDense(11 + steps, 9, 13, 6, 3, 5, steps, 1);
        }
    }

    @Test
    void oneTwoThreeStepsMatchDenseRadius3() {
        for (int steps : new int[] {1, 2, 3}) {
            assertMatchesDense(21 + steps, 12, 7, 4, 2, 3, steps, 1);
        }
    }

    @Test
    void twoHundredFiftySixStepsMatchDenseSquaring() {
        assertMatchesDense(31, 20, 20, 5, 4, 5, 256, 1, true);
        assertMatchesDense(32, 14, 19, 3, 3, 3, 256, 1, true);
    }

    @Test
    void gridsSpanningSeveralBlocksMatchDense() {
        // the walk cuts the grid into blocks of whole rows (768 cells): several blocks, a short last block,
        // one-row blocks of a row wider than a block, and a narrow grid
        assertMatchesDense(51, 30, 45, 3, 2, 5, 3, 1);
        assertMatchesDense(52, 20, 40, 3, 2, 5, 256, 1);
        assertMatchesDense(53, 2, 800, 2, 2, 5, 2, 1);
        assertMatchesDense(54, 60, 3, 3, 2, 3, 5, 2);
    }

    @Test
    void threadedWalkMatchesDense() {
        assertMatchesDense(41, 10, 15, 4, 7, 5, 17, 3);
    }

    @Test
    void constantMapStaysConstantBecauseColumnsSumToOne() {
        Random rnd = new Random(5);
        int h = 30;
        int w = 25;
        float[] features = random(rnd, 8 * h * w, 0f, 2f);
        float[] maps = new float[h * w];
        java.util.Arrays.fill(maps, 0.7f);
        float[] out = RandomWalk.propagate(maps, 1, features, 8, h, w, RandomWalkParams.psa());
        for (float v : out) {
            assertEquals(0.7f, v, 1e-4f);
        }
    }

    @Test
    void largeGridRunsWithoutDenseMatrix() {
        // N = 90000: a dense float N x N matrix would need 32 GB
        int h = 300;
        int w = 300;
        Random rnd = new Random(6);
        float[] features = random(rnd, 2 * h * w, 0f, 1f);
        float[] maps = random(rnd, h * w, 0f, 1f);
        float[] out = RandomWalk.propagate(maps, 1, features, 2, h, w, new RandomWalkParams(5, 8, 2, 1));
        assertEquals(h * w, out.length);
        // two steps at radius 5 reach under 2 x 5 cells (a step's column sums included): inside 30x30 windows, the
        // cells at least 10 from every window edge that is not a grid edge must equal the dense walk of the window
        int side = 30, margin = 10;
        for (int[] at : new int[][] {{135, 140}, {0, 0}, {h - side, w - side}, {0, w - side}}) {
            int y0 = at[0], x0 = at[1], n = side * side;
            float[] wf = new float[2 * n];
            float[] wm = new float[n];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int g = (y0 + y) * w + x0 + x;
                    wm[y * side + x] = maps[g];
                    wf[y * side + x] = features[g];
                    wf[n + y * side + x] = features[h * w + g];
                }
            }
            double[][] dense = denseWalk(wm, 1, wf, 2, side, side, 5, 8, 2, false);
            int checked = 0;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean inside = (y0 == 0 || y >= margin) && (y0 + side == h || y < side - margin)
                            && (x0 == 0 || x >= margin) && (x0 + side == w || x < side - margin);
                    if (inside) {
                        assertEquals(dense[0][y * side + x], out[(y0 + y) * w + x0 + x], 1e-5,
                                "cell " + (y0 + y) + "," + (x0 + x));
                        checked++;
                    }
                }
            }
            assertTrue(checked >= 100, "checked " + checked);
        }
    }

    @Test
    void affinitiesAreExpOfMeanAbsoluteFeatureDifference() {
        // 1x3 grid, 2 channels: f0 = (0, 0), f1 = (1, 3), f2 = (2, 2); radius 2 -> only offset (0, 1) fits a row.
        float[] features = {0, 1, 2, 0, 3, 2};
        AffinityField field = RandomWalk.affinitiesFromFeatures(features, 2, 1, 3, 2);
        int right = -1;
        for (int o = 0; o < field.offsets().size(); o++) {
            if (field.offsets().dy()[o] == 0 && field.offsets().dx()[o] == 1) {
                right = o;
            }
        }
        // a(0,1) = exp(-(1 + 3) / 2), a(1,2) = exp(-(1 + 1) / 2), cell 2 has no right neighbour
        assertArrayEquals(new float[] {(float) Math.exp(-2), (float) Math.exp(-1), 0f}, field.planes()[right], 1e-7f);
    }

    @Test
    void argmaxMapsRowsToClassIndices() {
        // 1x3 grid, rows: background, class 4, class 12
        float[] maps = {0.9f, 0.1f, 0.3f,
                        0.2f, 0.5f, 0.3f,
                        0.1f, 0.6f, 0.3f};
        byte[] labels = RandomWalk.argmaxLabels(maps, 3, 1, 3, new int[] {4, 12});
        // cell 2 is a three-way tie: the background row comes first
        assertArrayEquals(new byte[] {0, 12, 0}, labels);
        assertThrows(IllegalArgumentException.class,
                () -> RandomWalk.argmaxLabels(maps, 3, 1, 3, new int[] {4}));
    }

    @Test
    void backgroundRowIsOneMinusMaxToTheAlpha() {
        float[] cams = {0.5f, 0.0f, 0.25f, 1.0f};
        float[] stack = RandomWalk.withBackground(cams, 2, 1, 2, 2);
        // cell 0: max 0.5 -> 0.25; cell 1: max 1.0 -> 0
        assertArrayEquals(new float[] {0.25f, 0f, 0.5f, 0f, 0.25f, 1f}, stack, 1e-7f);
    }

    @Test
    void constantBackgroundSitsInFrontOfMaxNormalisedClassMaps() {
        // 1x3 grid, two classes: (0.2, 0.4, 0.1) / 0.4 and an all-zero map that stays zero; against 0.3 only the
        // last cell (0.25) falls to background
        float[] walked = {0.2f, 0.4f, 0.1f, 0f, 0f, 0f};
        float[] stack = RandomWalk.withConstantBackground(walked, 2, 1, 3, 0.3);
        assertArrayEquals(new float[] {0.3f, 0.3f, 0.3f, 0.5f, 1f, 0.25f, 0f, 0f, 0f}, stack, 1e-7f);
        assertArrayEquals(new byte[] {7, 7, 0}, RandomWalk.argmaxLabels(stack, 3, 1, 3, new int[] {7, 9}));
        assertThrows(IllegalArgumentException.class, () -> RandomWalk.withConstantBackground(walked, 2, 1, 3, 1.5));
    }

    @Test
    void discHasSixtyEightNeighboursAtRadiusFive() {
        // rows |dy| = 0..4 hold 8, 9, 9, 7, 5 cells of dy^2 + dx^2 < 25 (centre excluded): 8 + 2 * 30 = 68
        assertEquals(34, DiscOffsets.forwardHalf(5).size());
        assertEquals(68, DiscOffsets.fullDisc(5).size());
    }

    @Test
    void rejectsMapsOfWrongShape() {
        AffinityField field = RandomWalk.affinitiesFromFeatures(new float[12], 2, 2, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RandomWalk.propagate(new float[10], 2, field, 8, 1, 1));
        assertTrue(e.getMessage().contains("2 maps x 2x3"), e.getMessage());
    }
}
