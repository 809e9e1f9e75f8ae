package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Central-difference check of an ILossFunction's gradient against its summed score, in double precision. */
public final class LossGradients {

    private LossGradients() {
    }

    public static void assertMatchesCentralDifferences(ILossFunction loss, INDArray labels, INDArray pre,
                                                IActivation activation, INDArray mask) {
        double h = 1e-6;
        double[] analytic = loss.computeGradient(labels, pre, activation, mask).dup('c')
                .reshape(pre.length()).toDoubleVector();
        INDArray x = pre.dup('c');
        INDArray flat = x.reshape(x.length());
        for (int i = 0; i < analytic.length; i++) {
            double v = flat.getDouble(i);
            flat.putScalar(i, v + h);
            double up = loss.computeScore(labels, x, activation, mask, false);
            flat.putScalar(i, v - h);
            double down = loss.computeScore(labels, x, activation, mask, false);
            flat.putScalar(i, v);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)), "entry " + i);
        }
    }
}
