package org.wsss.crf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
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
 * <p>Instances are immutable and thread-safe; each call allocates its own buffers once per image. With more than
 * one thread a call splits the pixels and lattice points among them; the splat's sums then add in another order,
 * so results differ from one thread's by float rounding, and are the same for a given thread count.
 */
public final class DenseCrf {
    /** A bound on per-call threads, each of which keeps a splat buffer of the lattice's size. */
    public static final int MAX_THREADS = 64;
    private final CrfParams params;
    private final int threads;

    /** One thread: the stages call the CRF from executor tasks that already use every core. */
    public DenseCrf(CrfParams params) {
        this(params, 1);
    }

    /** @param threads threads per call, for a caller with idle cores (the kernel command); 1..MAX_THREADS */
    public DenseCrf(CrfParams params, int threads) {
        this.params = Objects.requireNonNull(params, "params");
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ", got " + threads);
        }
        this.threads = threads;
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
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dense-crf");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            return infer(image, probs, numLabels, iterations, n, new Fork(pool, threads));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private float[] infer(RgbImage image, float[] probs, int labels, int iterations, int n, Fork fork) {
        float[] logProb = new float[n * labels];
        fork.ranges(n, (a, b) -> logProbPixelMajor(probs, logProb, labels, n, a, b));
        // q is kept unnormalised (exp(message - max)) with 1/sum per pixel; the 1/sum is folded into the
        // splat scale, which saves a pass over n * labels values per iteration
        float[] q = new float[n * labels];
        float[] invSum = new float[n];
        fork.ranges(n, (a, b) -> expRows(logProb, q, invSum, labels, a, b));
        if (iterations > 0) {
            Kernel[] kernels = kernels(image, fork);
            float[] message = new float[n * labels];
            for (int it = 0; it < iterations; it++) {
                // Potts in its reward form, +w * (normalised kernel * Q) for the same label: the penalty
                // form differs from it by a per-pixel constant, which the softmax ignores
                System.arraycopy(logProb, 0, message, 0, message.length);
                for (Kernel k : kernels) {
                    for (int i = 0; i < n; i++) {
                        k.splatScale[i] = k.norm[i] * invSum[i];
                    }
                    k.lattice.filterAccumulate(q, k.splatScale, message, k.weightedNorm, labels, fork.parts(), fork);
                }
                fork.ranges(n, (a, b) -> expRows(message, q, invSum, labels, a, b));
            }
        }
        return normalisedLabelMajor(q, invSum, labels, n);
    }

    /** Runs the parts of a call on the pool (one per thread), or in order on the caller without one. */
    private record Fork(ExecutorService pool, int parts) implements PermutohedralLattice.Fork {
        interface Range {
            void run(int from, int to);
        }

        @Override
        public void run(int count, IntConsumer task) {
            if (pool == null || count <= 1) {
                PermutohedralLattice.IN_ORDER.run(count, task);
                return;
            }
            List<Callable<Void>> tasks = new ArrayList<>(count);
            for (int t = 0; t < count; t++) {
                int index = t;
                tasks.add(() -> {
                    task.accept(index);
                    return null;
                });
            }
            try {
                for (Future<Void> f : pool.invokeAll(tasks)) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("dense CRF interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** [0, size) cut into one contiguous range per thread (fewer when size is smaller). */
        void ranges(int size, Range r) {
            int k = Math.max(1, Math.min(parts, size));
            run(k, t -> r.run(PermutohedralLattice.bound(size, t, k), PermutohedralLattice.bound(size, t + 1, k)));
        }
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

    /** Pixels [from, to) of the (labels, h, w) probabilities as pixel-major log probabilities. */
    private void logProbPixelMajor(float[] probs, float[] out, int labels, int n, int from, int to) {
        float floor = (float) params.probFloor();
        for (int l = 0; l < labels; l++) {
            int base = l * n;
            for (int i = from; i < to; i++) {
                float p = probs[base + i];
                if (Float.isNaN(p)) {
                    throw new IllegalArgumentException("probs[" + (base + i) + "] (label " + l + ", pixel " + i
                            + ") is NaN");
                }
                float clamped = p < floor ? floor : (p > 1f ? 1f : p);
                out[i * labels + l] = (float) Math.log(clamped);
            }
        }
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
    private static void expRows(float[] logits, float[] out, float[] invSum, int labels, int from, int to) {
        for (int i = from; i < to; i++) {
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

    /** The lattices are built concurrently when the call has threads: the bilateral one is most of the cost. */
    private Kernel[] kernels(RgbImage image, Fork fork) {
        int n = image.width() * image.height();
        List<Supplier<Kernel>> build = new ArrayList<>(2);
        if (params.gaussianWeight() > 0) {
            build.add(() -> new Kernel(new PermutohedralLattice(positionFeatures(image), n, 2),
                    (float) params.gaussianWeight()));
        }
        if (params.bilateralWeight() > 0) {
            build.add(() -> new Kernel(new PermutohedralLattice(bilateralFeatures(image), n, 5),
                    (float) params.bilateralWeight()));
        }
        Kernel[] kernels = new Kernel[build.size()];
        fork.run(kernels.length, t -> kernels[t] = build.get(t).get());
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
