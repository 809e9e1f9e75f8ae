package org.wsss.crf;

import java.util.Objects;
import org.wsss.data.RgbImage;

/**
 * Mean-field inference for a fully-connected CRF with Potts compatibility (Kraehenbuehl &amp; Koltun 2011),
 * the refinement psa, irn, SPML and LID apply through pydensecrf. Two pairwise kernels: an appearance-free
 * gaussian on (x, y) / sxy and a bilateral one on (x/sxy, y/sxy, r/srgb, g/srgb, b/srgb); both are filtered
 * on a permutohedral lattice built once per image, so an iteration costs time linear in the pixel count.
 *
 * <p>Kernel normalisation is pydensecrf's default NORMALIZE_SYMMETRIC: with n = K 1 (the lattice response
 * to a constant) the message is D K D Q, D = diag(1/sqrt(n)). We take it over "divide by K 1" because
 * psa's weights (3 and 10) were tuned under it, and because D K D is symmetric positive semi-definite, so
 * each parallel mean-field update minimises a convex upper bound of the mean-field free energy and that
 * energy cannot increase (Kraehenbuehl &amp; Koltun 2013); row normalisation gives a non-symmetric operator
 * without that guarantee. Like pydensecrf, the message includes each pixel's own (self-kernel) term.
 *
 * <p>Instances are immutable and thread-safe; each call allocates its own buffers once per image.
 */
public final class DenseCrf {
    private final CrfParams params;

    public DenseCrf(CrfParams params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    public CrfParams params() {
        return params;
    }

    /**
     * @param probs (labels, h, w) row-major class probabilities
     * @return refined (labels, h, w) probabilities after {@code params().iterations()} iterations
     */
    public float[] infer(RgbImage image, float[] probs, int numLabels) {
        return infer(image, probs, numLabels, params.iterations());
    }

    /** As {@link #infer(RgbImage, float[], int)} with an explicit iteration count (0 = softmax of unary). */
    public float[] infer(RgbImage image, float[] probs, int numLabels, int iterations) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(probs, "probs");
        int w = image.width();
        int h = image.height();
        int n = w * h;
        if (numLabels < 1) {
            throw new IllegalArgumentException("numLabels must be >= 1, got " + numLabels);
        }
        if (probs.length != (long) numLabels * n) {
            throw new IllegalArgumentException("probs has " + probs.length + " values, expected numLabels "
                    + numLabels + " x " + h + " x " + w + " = " + (long) numLabels * n);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        int labels = numLabels;
        float[] logProb = logProbPixelMajor(probs, labels, n);
        // q is kept unnormalised (exp(message - max)) with 1/sum per pixel; the 1/sum is folded into the
        // splat scale, which saves a pass over n * labels values per iteration
        float[] q = new float[n * labels];
        float[] invSum = new float[n];
        expRows(logProb, q, invSum, labels, n);
        if (iterations > 0) {
            Kernel[] kernels = kernels(image);
            float[] message = new float[n * labels];
            for (int it = 0; it < iterations; it++) {
                // Potts in its reward form, +w * (normalised kernel * Q) for the same label: the penalty
                // form differs from it by a per-pixel constant, which the softmax ignores
                System.arraycopy(logProb, 0, message, 0, message.length);
                for (Kernel k : kernels) {
                    for (int i = 0; i < n; i++) {
                        k.splatScale[i] = k.norm[i] * invSum[i];
                    }
                    k.lattice.filterAccumulate(q, k.splatScale, message, k.weightedNorm, labels);
                }
                expRows(message, q, invSum, labels, n);
            }
        }
        return normalisedLabelMajor(q, invSum, labels, n);
    }

    /** Per-pixel argmax of (labels, h, w) probabilities; ties go to the lowest label. */
    public static byte[] argmax(float[] probs, int numLabels, int w, int h) {
        if (numLabels < 1 || numLabels > 256) {
            throw new IllegalArgumentException("numLabels must be in 1..256 to fit a byte label, got " + numLabels);
        }
        int n = w * h;
        if (w < 0 || h < 0 || probs.length != (long) numLabels * n) {
            throw new IllegalArgumentException("probs has " + probs.length + " values, expected numLabels "
                    + numLabels + " x " + h + " x " + w);
        }
        byte[] out = new byte[n];
        float[] best = new float[n];
        System.arraycopy(probs, 0, best, 0, n);
        for (int l = 1; l < numLabels; l++) {
            int base = l * n;
            for (int i = 0; i < n; i++) {
                if (probs[base + i] > best[i]) {
                    best[i] = probs[base + i];
                    out[i] = (byte) l;
                }
            }
        }
        return out;
    }

    private float[] logProbPixelMajor(float[] probs, int labels, int n) {
        float floor = (float) params.probFloor();
        float[] out = new float[n * labels];
        for (int l = 0; l < labels; l++) {
            int base = l * n;
            for (int i = 0; i < n; i++) {
                float p = probs[base + i];
                if (Float.isNaN(p)) {
                    throw new IllegalArgumentException("probs[" + (base + i) + "] (label " + l + ", pixel " + i
                            + ") is NaN");
                }
                float clamped = p < floor ? floor : (p > 1f ? 1f : p);
                out[i * labels + l] = (float) Math.log(clamped);
            }
        }
        return out;
    }

    private static float[] normalisedLabelMajor(float[] q, float[] invSum, int labels, int n) {
        float[] out = new float[n * labels];
        for (int i = 0; i < n; i++) {
            float s = invSum[i];
            for (int l = 0; l < labels; l++) {
                out[l * n + i] = q[i * labels + l] * s;
            }
        }
        return out;
    }

    /** out = exp(logits - row max) per pixel row, invSum = 1 / row sum of out. */
    private static void expRows(float[] logits, float[] out, float[] invSum, int labels, int n) {
        for (int i = 0; i < n; i++) {
            int base = i * labels;
            int end = base + labels;
            float max = logits[base];
            for (int j = base + 1; j < end; j++) {
                float v = logits[j];
                max = v > max ? v : max;
            }
            // two partial sums halve the add-latency chain
            float sumA = 0f;
            float sumB = 0f;
            int j = base;
            for (; j + 1 < end; j += 2) {
                float a = FastExp.exp(logits[j] - max);
                float b = FastExp.exp(logits[j + 1] - max);
                out[j] = a;
                out[j + 1] = b;
                sumA += a;
                sumB += b;
            }
            if (j < end) {
                float a = FastExp.exp(logits[j] - max);
                out[j] = a;
                sumA += a;
            }
            invSum[i] = 1f / (sumA + sumB);
        }
    }

    private Kernel[] kernels(RgbImage image) {
        int count = (params.gaussianWeight() > 0 ? 1 : 0) + (params.bilateralWeight() > 0 ? 1 : 0);
        Kernel[] kernels = new Kernel[count];
        int next = 0;
        if (params.gaussianWeight() > 0) {
            kernels[next++] = new Kernel(new PermutohedralLattice(positionFeatures(image), image.width()
                    * image.height(), 2), (float) params.gaussianWeight());
        }
        if (params.bilateralWeight() > 0) {
            kernels[next] = new Kernel(new PermutohedralLattice(bilateralFeatures(image), image.width()
                    * image.height(), 5), (float) params.bilateralWeight());
        }
        return kernels;
    }

    private float[] positionFeatures(RgbImage image) {
        int w = image.width();
        int h = image.height();
        float inv = (float) (1.0 / params.gaussianSxy());
        float[] f = new float[w * h * 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 2;
                f[o] = x * inv;
                f[o + 1] = y * inv;
            }
        }
        return f;
    }

    private float[] bilateralFeatures(RgbImage image) {
        int w = image.width();
        int h = image.height();
        float invXy = (float) (1.0 / params.bilateralSxy());
        float invRgb = (float) (1.0 / params.bilateralSrgb());
        byte[] rgb = image.rgb();
        float[] f = new float[w * h * 5];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int o = p * 5;
                f[o] = x * invXy;
                f[o + 1] = y * invXy;
                f[o + 2] = (rgb[p * 3] & 0xff) * invRgb;
                f[o + 3] = (rgb[p * 3 + 1] & 0xff) * invRgb;
                f[o + 4] = (rgb[p * 3 + 2] & 0xff) * invRgb;
            }
        }
        return f;
    }

    /** A lattice with its symmetric normalisation D = 1/sqrt(K 1), and weight * D for the output side. */
    private static final class Kernel {
        final PermutohedralLattice lattice;
        final float[] norm;
        final float[] weightedNorm;
        /** Per-iteration scratch: norm times the current 1/sum of the unnormalised Q. */
        final float[] splatScale;

        Kernel(PermutohedralLattice lattice, float weight) {
            this.lattice = lattice;
            int n = lattice.numPoints();
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            norm = new float[n];
            lattice.filter(ones, norm, 1);
            weightedNorm = new float[n];
            splatScale = new float[n];
            for (int i = 0; i < n; i++) {
                norm[i] = (float) (1.0 / Math.sqrt(norm[i] + 1e-20));
                weightedNorm[i] = weight * norm[i];
            }
        }
    }
}
