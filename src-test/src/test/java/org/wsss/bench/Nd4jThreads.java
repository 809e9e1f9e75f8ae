package org.wsss.bench;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * ND4J's CPU thread knobs, set together: libnd4j's own thread pool (maxThreads, maxMasterThreads), the BLAS
 * library's threads (GEMM, and so DL4J's im2col convolutions) and OpenMP's (oneDNN kernels). The OpenMP
 * count is a per-thread setting, so a Spark task must call {@link #set} itself; the others are process-wide.
 */
public final class Nd4jThreads {
    private Nd4jThreads() {
    }

    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /** The current settings as seen from the calling thread. */
    public static String describe() {
        return "nd4j maxThreads=" + Nd4j.getEnvironment().maxThreads()
                + " maxMasterThreads=" + Nd4j.getEnvironment().maxMasterThreads()
                + " blasThreads=" + Nd4j.factory().blas().getMaxThreads()
                + " ompMaxThreads=" + NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
