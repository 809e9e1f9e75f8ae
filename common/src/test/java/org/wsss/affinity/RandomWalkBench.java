package org.wsss.affinity;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Benchmark (not a test): one-thread sparse random walk at 56x56 and 128x128 grids, 21 maps, D = 64 features,
 * t = 256, beta 8, r 5; and psa's dense baseline (float N x N T squared 8 times, ND4J/OpenBLAS) at 56x56.
 * Run with OMP_NUM_THREADS=1 so the BLAS baseline is single-threaded too. Argument "sparse-only" skips the
 * dense baseline (use it under -Xmx256m to show the sparse walk fits).
 */
public final class RandomWalkBench {

    private static final int MAPS = 21;
    private static final int DEPTH = 64;
    private static final int RADIUS = 5;
    private static final double BETA = 8;
    private static final int STEPS = 256;

    public static void main(String[] args) {
        boolean dense = !(args.length > 0 && args[0].equals("sparse-only"));
        System.out.printf("java %s, max heap %d MB, %d cpus%n", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        for (int side : new int[] {56, 128}) {
            Random rnd = new Random(side);
            float[] features = fill(rnd, DEPTH * side * side, 2f);
            float[] maps = fill(rnd, MAPS * side * side, 1f);
            long t0 = System.nanoTime();
            AffinityField field = RandomWalk.affinitiesFromFeatures(features, DEPTH, side, side, RADIUS);
            System.out.printf("%dx%d: affinities from %d features in %.1f ms%n", side, side, DEPTH,
                    (System.nanoTime() - t0) / 1e6);
            float[] sparse = benchSparse(side, maps, field);
            if (dense && side == 56) {
                benchDense(side, maps, field, sparse);
            }
        }
    }

    private static float[] fill(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * rnd.nextFloat();
        }
        return a;
    }

    private static float[] benchSparse(int side, float[] maps, AffinityField field) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 3; i++) {
            RandomWalk.propagate(maps, MAPS, field, BETA, 32, 1);
        }
        double[] wall = new double[5];
        double[] cpu = new double[5];
        float[] out = null;
        long allocated = 0;
        for (int r = 0; r < wall.length; r++) {
            long a0 = mx.getThreadAllocatedBytes(tid);
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            out = RandomWalk.propagate(maps, MAPS, field, BETA, STEPS, 1);
            wall[r] = (System.nanoTime() - t0) / 1e6;
            cpu[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            allocated = mx.getThreadAllocatedBytes(tid) - a0;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        int n = side * side;
        double fma = (2.0 * field.offsets().size() + 1) * n * MAPS * STEPS;
        System.out.printf("%dx%d sparse walk, 1 thread, %d maps, t=%d: wall min %.1f / median %.1f ms, "
                        + "cpu min %.1f / median %.1f ms (%.1f GFMA/s at cpu min); allocated per walk %.1f MB "
                        + "(inputs: affinity field %.1f MB, maps %.1f MB)%n",
                side, side, MAPS, STEPS, wall[0], wall[2], cpu[0], cpu[2], fma / cpu[0] / 1e6, allocated / 1e6,
                (long) field.offsets().size() * n * 4 / 1e6, (long) MAPS * n * 4 / 1e6);
        return out;
    }

    private static void benchDense(int side, float[] maps, AffinityField field, float[] sparse) {
        int n = side * side;
        long t0 = System.nanoTime();
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) {
            w[i * n + i] = 1f;
        }
        int width = side;
        for (int o = 0; o < field.offsets().size(); o++) {
            int shift = field.offsets().dy()[o] * width + field.offsets().dx()[o];
            float[] plane = field.planes()[o];
            for (int i = 0; i < n; i++) {
                int j = i + shift;
                int xj = i % width + field.offsets().dx()[o];
                if (j < n && xj >= 0 && xj < width) {
                    float v = (float) Math.pow(plane[i], BETA);
                    w[i * n + j] = v;
                    w[j * n + i] = v;
                }
            }
        }
        INDArray t = Nd4j.create(w, new long[] {n, n}, DataType.FLOAT);
        t.diviRowVector(t.sum(0));
        INDArray v = Nd4j.create(maps, new long[] {MAPS, n}, DataType.FLOAT);
        double build = (System.nanoTime() - t0) / 1e6;
        t.mmul(t); // warm-up: the first BLAS call loads and initialises native code
        long t1 = System.nanoTime();
        for (int s = 0; s < 8; s++) {
            t = t.mmul(t);
        }
        INDArray out = v.mmul(t);
        double walk = (System.nanoTime() - t1) / 1e6;
        float[] d = out.data().asFloat();
        double worst = 0;
        for (int i = 0; i < d.length; i++) {
            worst = Math.max(worst, Math.abs(d[i] - sparse[i]) / Math.max(Math.abs(d[i]), 1e-12));
        }
        System.out.printf("%dx%d dense baseline (ND4J %s, float %dx%d, squared 8 times): build %.1f ms, "
                        + "T^256 + multiply %.1f ms; dense matrix %.1f MB each (2-3 live); "
                        + "max relative difference to sparse %.2e%n",
                side, side, Nd4j.getBackend().getClass().getSimpleName(), n, n, build, walk,
                (double) n * n * 4 / 1e6, worst);
    }
}
