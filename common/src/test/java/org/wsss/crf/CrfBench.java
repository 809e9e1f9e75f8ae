package org.wsss.crf;

import java.util.Arrays;
import java.util.Random;
import org.wsss.data.RgbImage;

/**
 * Benchmark (not a test): dense CRF on a 500x375 image with 21 labels, psa's defaults (10 iterations), on one
 * thread and on all cores. The image is synthetic but photo-like (smooth gradients, coloured ellipses, mild sensor noise)
 * and the probabilities are smooth CAM-like maps, so the lattices have realistic sizes.
 * Run: java -cp "$(cat /tmp/crf-cp.txt):common/target/classes:common/target/test-classes" org.wsss.crf.CrfBench
 */
public final class CrfBench {
    private static final int W = 500;
    private static final int H = 375;
    private static final int LABELS = 21;

    private CrfBench() {
    }

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        RgbImage image = photoLikeImage(new Random(1));
        float[] probs = camLikeProbs(new Random(2));
        int cores = Runtime.getRuntime().availableProcessors();
        float[] out = null;
        double oneThreadMedian = 0;
        for (int threads : cores > 1 ? new int[]{1, cores} : new int[]{1}) {
            DenseCrf crf = new DenseCrf(CrfParams.DEFAULTS, threads);
            for (int i = 0; i < warmup; i++) {
                out = crf.infer(image, probs, LABELS);
            }
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            double[] ms = new double[runs];
            double[] cpuMs = new double[runs];
            for (int i = 0; i < runs; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                out = crf.infer(image, probs, LABELS);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                cpuMs[i] = (os.getProcessCpuTime() - c0) / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(cpuMs);
            if (threads == 1) {
                oneThreadMedian = ms[runs / 2];
            }
            System.out.printf("dense CRF %dx%d, %d labels, %d iterations, %d thread(s)%n", W, H, LABELS,
                    CrfParams.DEFAULTS.iterations(), threads);
            System.out.printf("ms per image: median %.1f, min %.1f, max %.1f (%d runs after %d warm-up)%s%n",
                    ms[runs / 2], ms[0], ms[runs - 1], runs, warmup, threads == 1 ? ""
                            : String.format(" = %.2fx one thread's speed in this run", oneThreadMedian / ms[runs / 2]));
            // wall time counts other processes on a shared machine; process CPU time is this JVM's work (JIT and
            // GC included)
            System.out.printf("process CPU ms per image: median %.1f, min %.1f%n", cpuMs[runs / 2], cpuMs[0]);
        }
        double buildMs = latticeBuildMs(image);

        System.out.printf("of which lattice construction (both kernels + normalisers): %.1f ms%n", buildMs);
        System.out.printf("labels changed by the CRF: %.1f%% of pixels%n", 100 * changed(probs, out));
        System.out.printf("java %s, %s, %d available processors, os %s %s%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    private static double latticeBuildMs(RgbImage image) {
        float[] xy = new float[W * H * 2];
        float[] xyrgb = new float[W * H * 5];
        for (int p = 0; p < W * H; p++) {
            int x = p % W;
            int y = p / W;
            xy[2 * p] = x / 3f;
            xy[2 * p + 1] = y / 3f;
            xyrgb[5 * p] = x / 80f;
            xyrgb[5 * p + 1] = y / 80f;
            for (int c = 0; c < 3; c++) {
                xyrgb[5 * p + 2 + c] = (image.rgb()[3 * p + c] & 0xff) / 13f;
            }
        }
        float[] ones = new float[W * H];
        Arrays.fill(ones, 1f);
        float[] norm = new float[W * H];
        double best = Double.MAX_VALUE;
        int gaussianSize = 0;
        int bilateralSize = 0;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            PermutohedralLattice g = new PermutohedralLattice(xy, W * H, 2);
            g.filter(ones, norm, 1);
            PermutohedralLattice b = new PermutohedralLattice(xyrgb, W * H, 5);
            b.filter(ones, norm, 1);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            gaussianSize = g.latticeSize();
            bilateralSize = b.latticeSize();
        }
        System.out.printf("lattice points: gaussian %d, bilateral %d (pixels %d)%n", gaussianSize, bilateralSize,
                W * H);
        return best;
    }

    private static double changed(float[] before, float[] after) {
        byte[] a = DenseCrf.argmax(before, LABELS, W, H);
        byte[] b = DenseCrf.argmax(after, LABELS, W, H);
        return 1 - CrfTestImages.agreement(a, b);
    }

    /** 500x375, smooth gradients, coloured ellipses, mild sensor noise. */
    static RgbImage photoLikeImage(Random rnd) {
        byte[] rgb = new byte[W * H * 3];
        double[][] ellipses = new double[8][];
        for (int e = 0; e < ellipses.length; e++) {
            ellipses[e] = new double[] {rnd.nextDouble() * W, rnd.nextDouble() * H, 30 + rnd.nextDouble() * 90,
                30 + rnd.nextDouble() * 70, rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
        }
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double[] c = {90 + 80.0 * y / H, 120 + 40.0 * x / W, 170 - 60.0 * y / H};
                for (double[] e : ellipses) {
                    double dx = (x - e[0]) / e[2];
                    double dy = (y - e[1]) / e[3];
                    if (dx * dx + dy * dy <= 1) {
                        double shade = 1 - 0.3 * (dx * dx + dy * dy);
                        c = new double[] {e[4] * shade, e[5] * shade, e[6] * shade};
                    }
                }
                int p = (y * W + x) * 3;
                for (int k = 0; k < 3; k++) {
                    rgb[p + k] = (byte) Math.max(0, Math.min(255, Math.round(c[k] + 4 * rnd.nextGaussian())));
                }
            }
        }
        return new RgbImage(W, H, rgb);
    }

    /** Softmax of bilinearly upsampled random logits on a 16x12 grid (like a stride-32 CAM) plus noise. */
    static float[] camLikeProbs(Random rnd) {
        return camLikeProbs(rnd, LABELS);
    }

    /** {@link #camLikeProbs(Random)} with {@code labels} labels. */
    static float[] camLikeProbs(Random rnd, int labels) {
        int gw = 16;
        int gh = 12;
        double[] coarse = new double[labels * gw * gh];
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] = 3 * rnd.nextGaussian();
        }
        int n = W * H;
        float[] probs = new float[labels * n];
        double[] logits = new double[labels];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double gx = x * (gw - 1.0) / (W - 1);
                double gy = y * (gh - 1.0) / (H - 1);
                int x0 = Math.min((int) gx, gw - 2);
                int y0 = Math.min((int) gy, gh - 2);
                double fx = gx - x0;
                double fy = gy - y0;
                double sum = 0;
                for (int l = 0; l < labels; l++) {
                    int b = l * gw * gh;
                    double v = (1 - fy) * ((1 - fx) * coarse[b + y0 * gw + x0] + fx * coarse[b + y0 * gw + x0 + 1])
                            + fy * ((1 - fx) * coarse[b + (y0 + 1) * gw + x0] + fx * coarse[b + (y0 + 1) * gw + x0 + 1]);
                    logits[l] = Math.exp(v + 0.5 * rnd.nextGaussian());
                    sum += logits[l];
                }
                for (int l = 0; l < labels; l++) {
                    probs[l * n + y * W + x] = (float) (logits[l] / sum);
                }
            }
        }
        return probs;
    }
}
