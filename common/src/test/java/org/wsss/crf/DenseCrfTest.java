package org.wsss.crf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wsss.data.RgbImage;

class DenseCrfTest {
    private final DenseCrf crf = new DenseCrf(CrfParams.DEFAULTS);

    @Test
    void labelsAgreeWithBruteForceMeanField() {
        // width, height, colour noise, unary strength, unary noise: from clean to ambiguous colours
        double[][] cases = {{32, 32, 12, 1.0, 1.2}, {32, 32, 25, 0.4, 1.0}, {30, 24, 40, 0.5, 1.0}};
        for (int c = 0; c < cases.length; c++) {
            int w = (int) cases[c][0];
            int h = (int) cases[c][1];
            byte[] truth = CrfTestImages.discLabels(w, h);
            RgbImage image = CrfTestImages.twoColourImage(truth, w, h, cases[c][2], 10 + c);
            float[] probs = CrfTestImages.noisyProbs(truth, 3, cases[c][3], cases[c][4], 20 + c);

            byte[] lattice = DenseCrf.argmax(crf.infer(image, probs, 3), 3, w, h);
            byte[] exact = argmax(new BruteForceMeanField(image, probs, 3, CrfParams.DEFAULTS).run(10), 3);
            byte[] unaryOnly = DenseCrf.argmax(probs, 3, w, h);

            // the reference must have changed many labels, or agreeing with it would prove nothing
            assertTrue(CrfTestImages.agreement(exact, unaryOnly) < 0.7, "case " + c + ": CRF kept the unary");
            double agreement = CrfTestImages.agreement(lattice, exact);
            assertTrue(agreement >= 0.95, "case " + c + ": lattice CRF agrees with exact mean-field on "
                    + agreement + " of pixels");
        }
    }

    @Test
    void threadsSplitTheWorkAndChangeTheResultOnlyByFloatRounding() {
        // the threads splat disjoint pixel ranges into buffers of their own that are then summed, so only the
        // order of the splat's additions differs from one thread; a given thread count repeats exactly
        int w = 37;
        int h = 29;
        byte[] truth = CrfTestImages.discLabels(w, h);
        RgbImage image = CrfTestImages.twoColourImage(truth, w, h, 20, 5);
        for (int labels : new int[]{1, 3, 21}) {
            float[] probs = new float[labels * w * h];
            Random r = new Random(labels);
            for (int i = 0; i < w * h; i++) {
                double sum = 0;
                for (int l = 0; l < labels; l++) {
                    sum += probs[l * w * h + i] = r.nextFloat() + (truth[i] == l % 2 ? 1f : 0f);
                }
                for (int l = 0; l < labels; l++) {
                    probs[l * w * h + i] /= (float) sum;
                }
            }
            float[] one = crf.infer(image, probs, labels, 5);
            for (int threads : new int[]{2, 3, 64}) {
                DenseCrf threaded = new DenseCrf(CrfParams.DEFAULTS, threads);
                float[] many = threaded.infer(image, probs, labels, 5);
                assertArrayEquals(one, many, 1e-5f, labels + " labels, " + threads + " threads");
                assertArrayEquals(many, threaded.infer(image, probs, labels, 5), labels + " labels, " + threads
                        + " threads, second call");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new DenseCrf(CrfParams.DEFAULTS, 0));
        assertThrows(IllegalArgumentException.class, () -> new DenseCrf(CrfParams.DEFAULTS, DenseCrf.MAX_THREADS + 1));
    }

    @Test
    void freeEnergyDoesNotIncreaseOverIterations() {
        int w = 28;
        int h = 24;
        byte[] truth = CrfTestImages.discLabels(w, h);
        RgbImage image = CrfTestImages.twoColourImage(truth, w, h, 12, 3);
        float[] probs = CrfTestImages.noisyProbs(truth, 3, 1.0, 1.2, 4);
        BruteForceMeanField exact = new BruteForceMeanField(image, probs, 3, CrfParams.DEFAULTS);
        double[] energy = new double[11];
        for (int k = 0; k <= 10; k++) {
            energy[k] = exact.energy(crf.infer(image, probs, 3, k));
        }
        // float rounding of Q moves F by ~1e-9 relative once converged; 1e-6 leaves room and nothing more
        double tolerance = 1e-6 * Math.abs(energy[0]);
        for (int k = 1; k <= 10; k++) {
            assertTrue(energy[k] <= energy[k - 1] + tolerance, "free energy rose from " + energy[k - 1]
                    + " to " + energy[k] + " at iteration " + k);
        }
        assertTrue(energy[10] < energy[0] - 0.2 * Math.abs(energy[0]), "inference barely moved: " + energy[0]
                + " -> " + energy[10]);
    }

    @Test
    void removesSaltAndPepperNoiseFromTwoColourImage() {
        int w = 40;
        int h = 30;
        byte[] clean = CrfTestImages.discLabels(w, h);
        RgbImage image = CrfTestImages.twoColourImage(clean, w, h, 6, 7);
        Random rnd = new Random(8);
        int n = w * h;
        float[] probs = new float[2 * n];
        int flipped = 0;
        for (int i = 0; i < n; i++) {
            boolean flip = rnd.nextDouble() < 0.15;
            flipped += flip ? 1 : 0;
            int label = flip ? 1 - clean[i] : clean[i];
            float confidence = flip ? 0.8f : 0.7f;
            probs[label * n + i] = confidence;
            probs[(1 - label) * n + i] = 1 - confidence;
        }
        assertTrue(flipped > n / 10, "too little noise to test anything: " + flipped);
        byte[] refined = DenseCrf.argmax(crf.infer(image, probs, 2), 2, w, h);
        assertArrayEquals(clean, refined);
    }

    @Test
    void outputIsADistributionPerPixel() {
        int w = 20;
        int h = 16;
        byte[] truth = CrfTestImages.discLabels(w, h);
        float[] out = crf.infer(CrfTestImages.twoColourImage(truth, w, h, 20, 1),
                CrfTestImages.noisyProbs(truth, 4, 1.0, 1.0, 2), 4);
        int n = w * h;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int l = 0; l < 4; l++) {
                float p = out[l * n + i];
                assertTrue(p >= 0 && p <= 1, "pixel " + i + " label " + l + " has " + p);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5, "pixel " + i);
        }
    }

    @Test
    void zeroIterationsReturnClampedRenormalisedProbabilities() {
        RgbImage image = new RgbImage(2, 1, new byte[6]);
        // (labels, h, w): pixel 0 has (0, 0.5), pixel 1 has (0.2, 0.6)
        float[] probs = {0f, 0.2f, 0.5f, 0.6f};
        float[] out = crf.infer(image, probs, 2, 0);
        assertEquals(1e-5 / 0.50001, out[0], 1e-7);
        assertEquals(0.25, out[1], 1e-6);
        assertEquals(0.5 / 0.50001, out[2], 1e-6);
        assertEquals(0.75, out[3], 1e-6);
    }

    @Test
    void zeroPairwiseWeightsLeaveTheUnaryAlone() {
        CrfParams unaryOnly = new CrfParams(3, 0, 80, 13, 0, 10, 1e-5);
        RgbImage image = new RgbImage(3, 1, new byte[] {0, 0, 0, 10, 10, 10, (byte) 200, 0, 0});
        float[] probs = {0.2f, 0.9f, 0.5f, 0.8f, 0.1f, 0.5f};
        assertArrayEquals(probs, new DenseCrf(unaryOnly).infer(image, probs, 2), 1e-6f);
    }

    @Test
    void argmaxTakesLargestProbabilityAndLowestLabelOnTies() {
        // 3 labels, 2x2 pixels, (labels, h, w)
        float[] probs = {
            0.1f, 0.5f, 0.3f, 0.2f,
            0.7f, 0.5f, 0.3f, 0.1f,
            0.2f, 0.0f, 0.4f, 0.7f};
        assertArrayEquals(new byte[] {1, 0, 2, 2}, DenseCrf.argmax(probs, 3, 2, 2));
    }

    @Test
    void rejectsProbabilitiesOfTheWrongShapeOrNaN() {
        RgbImage image = new RgbImage(2, 2, new byte[12]);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> crf.infer(image, new float[7], 2));
        assertTrue(size.getMessage().contains("probs has 7 values"), size.getMessage());
        float[] withNaN = new float[8];
        withNaN[5] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> crf.infer(image, withNaN, 2));
        assertTrue(nan.getMessage().contains("probs[5]"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> crf.infer(image, new float[8], 2, -1));
        assertThrows(IllegalArgumentException.class, () -> DenseCrf.argmax(new float[8], 300, 2, 2));
    }

    private static byte[] argmax(double[] q, int labels) {
        float[] f = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            f[i] = (float) q[i];
        }
        return DenseCrf.argmax(f, labels, q.length / labels, 1);
    }
}
