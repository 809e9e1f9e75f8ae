package org.wsss.crf;

import java.util.Random;
import org.wsss.data.RgbImage;

/** Synthetic two-region images and unary maps for the CRF tests. */
final class CrfTestImages {
    private CrfTestImages() {
    }

    /** Label 1 inside a disc, 0 elsewhere. */
    static byte[] discLabels(int w, int h) {
        byte[] labels = new byte[w * h];
        double cx = w * 0.55;
        double cy = h * 0.45;
        double r = Math.min(w, h) * 0.3;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - cx;
                double dy = y - cy;
                labels[y * w + x] = (byte) (dx * dx + dy * dy <= r * r ? 1 : 0);
            }
        }
        return labels;
    }

    /** Reddish where the label is 1, bluish where 0, each channel with Gaussian noise of std {@code noise}. */
    static RgbImage twoColourImage(byte[] labels, int w, int h, double noise, long seed) {
        int[][] colours = {{40, 90, 170}, {200, 60, 50}};
        Random rnd = new Random(seed);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            int[] c = colours[labels[i]];
            for (int k = 0; k < 3; k++) {
                long v = Math.round(c[k] + noise * rnd.nextGaussian());
                rgb[i * 3 + k] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** (labels, h, w) softmax of (strength at the true label + Gaussian noise of std {@code noise}). */
    static float[] noisyProbs(byte[] truth, int numLabels, double strength, double noise, long seed) {
        Random rnd = new Random(seed);
        int n = truth.length;
        float[] probs = new float[numLabels * n];
        double[] logits = new double[numLabels];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int l = 0; l < numLabels; l++) {
                logits[l] = Math.exp((l == truth[i] ? strength : 0) + noise * rnd.nextGaussian());
                sum += logits[l];
            }
            for (int l = 0; l < numLabels; l++) {
                probs[l * n + i] = (float) (logits[l] / sum);
            }
        }
        return probs;
    }

    static double agreement(byte[] a, byte[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return same / (double) a.length;
    }
}
