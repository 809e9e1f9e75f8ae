package org.wsss.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J float32 matrix multiply rate (C = A B, n x n), the yardstick for the networks' achieved rate. */
public final class GemmRate {
    /** Best and mean GFLOP/s over the timed repetitions. */
    public record Rate(int n, double best, double mean) {
    }

    private GemmRate() {
    }

    public static Rate measure(int n, int warmup, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        for (int i = 0; i < warmup; i++) {
            a.mmuli(b, c);
        }
        double flops = 2.0 * n * n * n;
        double best = 0;
        double total = 0;
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            a.mmuli(b, c);
            double s = (System.nanoTime() - t) / 1e9;
            best = Math.max(best, flops / s / 1e9);
            total += s;
        }
        if (!Double.isFinite(c.sumNumber().doubleValue())) {
            throw new IllegalStateException("GEMM produced non-finite values");
        }
        return new Rate(n, best, flops * reps / total / 1e9);
    }
}
