package org.wsss.crf;

import org.wsss.data.RgbImage;

/**
 * Test reference: the same fully-connected Potts CRF with exact O(n^2) Gaussian kernels. Normalisation as in
 * DenseCrf: K~ = D K D, D = diag(1/sqrt(K 1)), self term included. Probabilities are (labels, h, w).
 */
final class BruteForceMeanField {
    private final int n;
    private final int labels;
    private final double[] logProb;
    private final double[][] weightedKernels;

    BruteForceMeanField(RgbImage image, float[] probs, int labels, CrfParams params) {
        this.n = image.width() * image.height();
        this.labels = labels;
        logProb = new double[labels * n];
        for (int i = 0; i < logProb.length; i++) {
            logProb[i] = Math.log(Math.min(1.0, Math.max(params.probFloor(), probs[i])));
        }
        weightedKernels = new double[][] {
            normalisedKernel(image, params, false, params.gaussianWeight()),
            normalisedKernel(image, params, true, params.bilateralWeight())
        };
    }

    /** Mean-field: Q_i(l) proportional to exp(log p_i(l) + sum_k w_k sum_j K~k_ij Q_j(l)). */
    double[] run(int iterations) {
        double[] q = softmax(logProb.clone());
        for (int it = 0; it < iterations; it++) {
            double[] message = logProb.clone();
            for (double[] kernel : weightedKernels) {
                for (int l = 0; l < labels; l++) {
                    for (int i = 0; i < n; i++) {
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += kernel[i * n + j] * q[l * n + j];
                        }
                        message[l * n + i] += s;
                    }
                }
            }
            q = softmax(message);
        }
        return q;
    }

    /**
     * Mean-field free energy whose stationary points the update above is:
     * F(Q) = sum_i Q_i . (-log p_i) + sum_i Q_i . log Q_i - 1/2 sum_k w_k sum_ij K~k_ij Q_i . Q_j.
     */
    double energy(float[] q) {
        double unary = 0;
        double entropy = 0;
        for (int i = 0; i < q.length; i++) {
            unary -= q[i] * logProb[i];
            if (q[i] > 0) {
                entropy += q[i] * Math.log(q[i]);
            }
        }
        double pairwise = 0;
        for (double[] kernel : weightedKernels) {
            for (int l = 0; l < labels; l++) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += kernel[i * n + j] * q[l * n + j];
                    }
                    pairwise += q[l * n + i] * s;
                }
            }
        }
        return unary + entropy - 0.5 * pairwise;
    }

    private double[] softmax(double[] values) {
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < labels; l++) {
                max = Math.max(max, values[l * n + i]);
            }
            double sum = 0;
            for (int l = 0; l < labels; l++) {
                values[l * n + i] = Math.exp(values[l * n + i] - max);
                sum += values[l * n + i];
            }
            for (int l = 0; l < labels; l++) {
                values[l * n + i] /= sum;
            }
        }
        return values;
    }

    private static double[] normalisedKernel(RgbImage image, CrfParams p, boolean bilateral, double weight) {
        int w = image.width();
        int n = w * image.height();
        double[] k = new double[n * n];
        double[] rowSum = new double[n];
        double sxy = bilateral ? p.bilateralSxy() : p.gaussianSxy();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dx = (i % w - j % w) / sxy;
                double dy = (i / w - j / w) / sxy;
                double d2 = dx * dx + dy * dy;
                if (bilateral) {
                    for (int c = 0; c < 3; c++) {
                        double dc = ((image.rgb()[i * 3 + c] & 0xff) - (image.rgb()[j * 3 + c] & 0xff))
                                / p.bilateralSrgb();
                        d2 += dc * dc;
                    }
                }
                k[i * n + j] = Math.exp(-d2 / 2);
                rowSum[i] += k[i * n + j];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i * n + j] *= weight / Math.sqrt(rowSum[i] * rowSum[j]);
            }
        }
        return k;
    }
}
