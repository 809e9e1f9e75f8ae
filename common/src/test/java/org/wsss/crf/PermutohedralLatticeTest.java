package org.wsss.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lattice against brute-force Gaussian filtering, exp(-|f_i - f_j|^2 / 2) summed over all j.
 *
 * <p>Tolerances. The lattice's impulse response is a piecewise-linear blend of [1 2 1] blurs: its second
 * moment is that of the unit Gaussian, but its peak and total mass are not (measured: raw output is the
 * Gaussian's scaled by roughly 1/1.15 for d = 2 and 1/1.6 to 1/1.9 for d = 5, the scale varying by a few
 * percent with where a point falls inside its simplex). Normalisation divides the scale out, so
 * <ul>
 *   <li>normalised filtering (K v / K 1, what the CRF uses) on CRF-like features is held to 5% of the
 *       filtered signal's spread (measured 1.6% for the d = 2 grid, 0.2% for the d = 5 bilateral case);</li>
 *   <li>raw filtering is compared after the best single scale factor, held to 10% relative L2 error
 *       (measured 3-6% on moderately dense random clouds);</li>
 *   <li>the response's standard deviation is held to 5% of 1 (measured within 1.5%).</li>
 * </ul>
 */
class PermutohedralLatticeTest {

    @Test
    void normalisedFilterMatchesBruteForceOnCrfFeatures() {
        int w = 24;
        int h = 24;
        int n = w * h;
        Random rnd = new Random(5);
        float[] positions = new float[n * 2];
        float[] bilateral = new float[n * 5];
        float[] signal = new float[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean left = x < 10 + y / 3;
                positions[2 * i] = x / 3f;
                positions[2 * i + 1] = y / 3f;
                bilateral[5 * i] = x / 80f;
                bilateral[5 * i + 1] = y / 80f;
                for (int c = 0; c < 3; c++) {
                    double colour = (left ? 60 : 190) - (c == 1 ? 40 : 0) + 8 * rnd.nextGaussian();
                    bilateral[5 * i + 2 + c] = (float) (colour / 13);
                }
                signal[i] = (float) ((left ? 0.8 : 0.2) + 0.2 * rnd.nextDouble());
            }
        }
        assertTrue(normalisedErrorRelativeToSpread(positions, n, 2, signal) < 0.05);
        assertTrue(normalisedErrorRelativeToSpread(bilateral, n, 5, signal) < 0.05);
    }

    @Test
    void rawFilterMatchesBruteForceUpToOneScaleOnRandomPoints() {
        Random rnd = new Random(11);
        for (int d : new int[] {2, 3, 5}) {
            int n = 400;
            float[] f = new float[n * d];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (3 * rnd.nextDouble());
            }
            float[] v = structuredSignal(f, n, d, rnd);
            float[] approx = new float[n];
            new PermutohedralLattice(f, n, d).filter(v, approx, 1);
            double[] exact = bruteForce(f, n, d, v);
            double ab = 0;
            double aa = 0;
            for (int i = 0; i < n; i++) {
                ab += approx[i] * exact[i];
                aa += (double) approx[i] * approx[i];
            }
            double scale = ab / aa;
            double err = 0;
            double norm = 0;
            for (int i = 0; i < n; i++) {
                err += Math.pow(scale * approx[i] - exact[i], 2);
                norm += exact[i] * exact[i];
            }
            double relative = Math.sqrt(err / norm);
            assertTrue(relative < 0.10, "d=" + d + ": relative error " + relative + " after scale " + scale);
            assertTrue(scale > 0.8 && scale < 2.5, "d=" + d + ": implausible scale " + scale);
        }
    }

    @Test
    void impulseResponseHasUnitStandardDeviation() {
        assertEquals(1.0, impulseSigma(2, 20000, 12, 3), 0.05);
        assertEquals(1.0, impulseSigma(5, 60000, 9, 4), 0.05);
    }

    @Test
    void splittingTheWorkIntoPartsGivesTheSerialFilterUpToRounding() {
        Random rnd = new Random(9);
        int n = 500;
        int d = 5;
        int vs = 4;
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (3 * rnd.nextDouble());
        }
        float[] in = new float[n * vs];
        float[] inScale = new float[n];
        float[] outScale = new float[n];
        for (int i = 0; i < in.length; i++) {
            in[i] = rnd.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            inScale[i] = 0.5f + rnd.nextFloat();
            outScale[i] = 0.5f + rnd.nextFloat();
        }
        PermutohedralLattice lattice = new PermutohedralLattice(f, n, d);
        float[] serial = new float[n * vs];
        java.util.Arrays.fill(serial, 1f);
        lattice.filterAccumulate(in, inScale, serial, outScale, vs);
        // the parts run one after another here: what is checked is the split, not the threads
        PermutohedralLattice.Fork inOrder = (parts, task) -> {
            for (int t = parts - 1; t >= 0; t--) {
                task.accept(t);
            }
        };
        for (int parts : new int[]{2, 3, 5, 7}) {
            float[] split = new float[n * vs];
            java.util.Arrays.fill(split, 1f);
            lattice.filterAccumulate(in, inScale, split, outScale, vs, parts, inOrder);
            for (int i = 0; i < split.length; i++) {
                assertEquals(serial[i], split[i], 1e-5 * Math.abs(serial[i]), parts + " parts, value " + i);
            }
        }
    }

    @Test
    void filterIsLinear() {
        Random rnd = new Random(3);
        int n = 200;
        int d = 3;
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (4 * rnd.nextDouble());
        }
        PermutohedralLattice lattice = new PermutohedralLattice(f, n, d);
        // two channels filtered together equal each filtered alone, and 2a + b combines linearly
        float[] ab = new float[2 * n];
        float[] a = new float[n];
        float[] b = new float[n];
        float[] combo = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat();
            b[i] = rnd.nextFloat();
            ab[2 * i] = a[i];
            ab[2 * i + 1] = b[i];
            combo[i] = 2 * a[i] + b[i];
        }
        float[] outAb = new float[2 * n];
        float[] outA = new float[n];
        float[] outB = new float[n];
        float[] outCombo = new float[n];
        lattice.filter(ab, outAb, 2);
        lattice.filter(a, outA, 1);
        lattice.filter(b, outB, 1);
        lattice.filter(combo, outCombo, 1);
        for (int i = 0; i < n; i++) {
            assertEquals(outA[i], outAb[2 * i], 1e-5 * Math.abs(outA[i]) + 1e-6);
            assertEquals(outB[i], outAb[2 * i + 1], 1e-5 * Math.abs(outB[i]) + 1e-6);
            assertEquals(2 * outA[i] + outB[i], outCombo[i], 1e-4 * Math.abs(outCombo[i]) + 1e-5);
        }
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThrows(IllegalArgumentException.class, () -> new PermutohedralLattice(new float[5], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new PermutohedralLattice(new float[0], 0, 0));
        PermutohedralLattice lattice = new PermutohedralLattice(new float[6], 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lattice.filter(new float[5], new float[6], 2));
        assertTrue(e.getMessage().contains("need 6"), e.getMessage());
    }

    /** ||lattice - exact|| / ||exact - mean(exact)|| for K v / K 1. */
    private static double normalisedErrorRelativeToSpread(float[] f, int n, int d, float[] v) {
        PermutohedralLattice lattice = new PermutohedralLattice(f, n, d);
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        float[] kv = new float[n];
        float[] k1 = new float[n];
        lattice.filter(v, kv, 1);
        lattice.filter(ones, k1, 1);
        double[] exactV = bruteForce(f, n, d, v);
        double[] exact1 = bruteForce(f, n, d, ones);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += exactV[i] / exact1[i] / n;
        }
        double err = 0;
        double spread = 0;
        for (int i = 0; i < n; i++) {
            double e = exactV[i] / exact1[i];
            err += Math.pow(kv[i] / k1[i] - e, 2);
            spread += Math.pow(e - mean, 2);
        }
        return Math.sqrt(err / spread);
    }

    /** sqrt(second moment / d) of the response to impulses placed well inside a uniform cloud. */
    private static double impulseSigma(int d, int n, double extent, long seed) {
        Random rnd = new Random(seed);
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (extent * rnd.nextDouble());
        }
        PermutohedralLattice lattice = new PermutohedralLattice(f, n, d);
        float[] v = new float[n];
        float[] out = new float[n];
        double moment2 = 0;
        double mass = 0;
        int impulses = 0;
        for (int j = 0; j < n && impulses < 10; j++) {
            boolean central = true;
            for (int k = 0; k < d; k++) {
                central &= Math.abs(f[j * d + k] - extent / 2) < 1;
            }
            if (!central) {
                continue;
            }
            impulses++;
            Arrays.fill(v, 0f);
            v[j] = 1f;
            lattice.filter(v, out, 1);
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = f[i * d + k] - f[j * d + k];
                    s += t * t;
                }
                moment2 += out[i] * s;
                mass += out[i];
            }
        }
        assertEquals(10, impulses, "too few central points");
        return Math.sqrt(moment2 / mass / d);
    }

    private static float[] structuredSignal(float[] f, int n, int d, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (Math.sin(1.3 * f[i * d]) + Math.cos(0.9 * f[i * d + 1]) + 0.5 * rnd.nextGaussian());
        }
        return v;
    }

    private static double[] bruteForce(float[] f, int n, int d, float[] v) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = f[i * d + k] - f[j * d + k];
                    s += t * t;
                }
                out[i] += Math.exp(-s / 2) * v[j];
            }
        }
        return out;
    }
}
