package org.wsss.irn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.wsss.affinity.AffinityField;
import org.wsss.affinity.DiscOffsets;

class BoundaryAffinityTest {

    private static int index(DiscOffsets offsets, int dy, int dx) {
        for (int o = 0; o < offsets.size(); o++) {
            if (offsets.dy()[o] == dy && offsets.dx()[o] == dx) {
                return o;
            }
        }
        throw new AssertionError("no offset (" + dy + ", " + dx + ")");
    }

    @Test
    void pathsAreTheCellsWithinOneCellOfTheLineBothEndsIncluded() {
        BoundaryPaths paths = BoundaryPaths.of(4);
        // by hand: distance of (y, x) from the line through (0, 0) and (dy, dx) is |dy x - dx y| / |(dy, dx)|
        int o = index(paths.offsets(), 0, 3);
        assertArrayEquals(new int[]{0, 0, 0, 0}, paths.dy()[o]);
        assertArrayEquals(new int[]{0, 1, 2, 3}, paths.dx()[o]);
        o = index(paths.offsets(), 1, 1); // (0, 1) and (1, 0) lie 0.71 from the diagonal
        assertArrayEquals(new int[]{0, 0, 1, 1}, paths.dy()[o]);
        assertArrayEquals(new int[]{0, 1, 0, 1}, paths.dx()[o]);
        o = index(paths.offsets(), 3, -1); // box y 0..3, x -1..0: (1, -1) at 0.63 and (2, 0) at 0.63 kept,
        // (0, -1) at 0.95 kept, (3, 0) at 0.95 kept
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2, 3, 3}, paths.dy()[o]);
        assertArrayEquals(new int[]{-1, 0, -1, 0, -1, 0, -1, 0}, paths.dx()[o]);
        // irn's search directions for radius 10: 9 along the row, then for y = 1..9 every x with x^2 + y^2 < 100
        // (|x| <= 9, 9, 9, 9, 8, 7, 7, 5, 4)
        assertEquals(9 + 19 + 19 + 19 + 19 + 17 + 15 + 15 + 11 + 9, BoundaryPaths.of(10).size());
    }

    @Test
    void affinityIsOneMinusTheLargestBoundaryOnThePathByHand() {
        // a 1x4 grid: only the along-the-row offsets (0, 1) and (0, 2) of radius 3 stay on it
        float[] b = {0.1f, 0.7f, 0.2f, 0.3f};
        AffinityField f = BoundaryAffinity.field(b, 1, 4, 3);
        int one = index(f.offsets(), 0, 1);
        int two = index(f.offsets(), 0, 2);
        assertArrayEquals(new float[]{0.3f, 0.3f, 0.7f, 0f}, f.planes()[one], 1e-6f);
        assertArrayEquals(new float[]{0.3f, 0.3f, 0f, 0f}, f.planes()[two], 1e-6f);
        for (int o = 0; o < f.offsets().size(); o++) {
            if (o != one && o != two) {
                assertArrayEquals(new float[4], f.planes()[o], "offset " + o + " leaves the grid");
            }
        }
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random r = new Random(3);
        int h = 5;
        int w = 6;
        BoundaryPaths paths = BoundaryPaths.of(3);
        double[] b = new double[h * w];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextDouble(); // distinct values: every maximum is strict
        }
        double[] u = new double[paths.size() * h * w];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextGaussian();
        }
        double[] analytic = BoundaryAffinity.backward(b, h, w, paths, u);
        double eps = 1e-7;
        for (int i = 0; i < b.length; i++) {
            double[] plus = b.clone();
            double[] minus = b.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric = (dot(u, BoundaryAffinity.forward(plus, h, w, paths, null))
                    - dot(u, BoundaryAffinity.forward(minus, h, w, paths, null))) / (2 * eps);
            assertEquals(numeric, analytic[i], 1e-6, "cell " + i);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
