package org.wsss.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AffinityLossTest {

    private static final IActivation IDENTITY = new ActivationIdentity();
    private static final double EPS = 1e-5;

    private static INDArray matrix(double[][] rows) {
        return Nd4j.createFromArray(rows);
    }

    @Test
    void scoreIsTheClassBalancedMeanOverTheWholeMinibatch() {
        // Two images, three pairs each. Labels: image 0 = bg+, neg, dropped; image 1 = bg+, fg+, neg.
        INDArray labels = matrix(new double[][]{{1, 0, -1}, {1, 2, 0}});
        INDArray a = matrix(new double[][]{{0.5, 0.25, 0.9}, {0.8, 0.6, 0.5}});
        // L_bg+ = (-ln(0.5+e) - ln(0.8+e)) / 2 = (0.693127 + 0.223131) / 2 = 0.458129
        // L_fg+ = -ln(0.6+e) / 1 = 0.510809
        // L_neg = (-ln(1-0.25+e) - ln(1-0.5+e)) / 2 = (0.287669 + 0.693127) / 2 = 0.490398
        // L = L_bg+/4 + L_fg+/4 + L_neg/2 = 0.114532 + 0.127702 + 0.245199 = 0.487434
        double bg = (-Math.log(0.5 + EPS) - Math.log(0.8 + EPS)) / 2;
        double fg = -Math.log(0.6 + EPS);
        double neg = (-Math.log(0.75 + EPS) - Math.log(0.5 + EPS)) / 2;
        double expected = bg / 4 + fg / 4 + neg / 2;
        assertEquals(0.487434, expected, 1e-6);
        AffinityLoss loss = new AffinityLoss();
        assertEquals(expected, loss.computeScore(labels, a, IDENTITY, null, true), 1e-12);
        // DL4J divides the summed score by N = 2; the sum must be N * L so that the trained objective is L
        assertEquals(2 * expected, loss.computeScore(labels, a, IDENTITY, null, false), 1e-12);
        INDArray perImage = loss.computeScoreArray(labels, a, IDENTITY, null);
        // image 0 holds one bg+ pair and one negative pair; image 1 the rest (each scaled by N = 2)
        double image0 = 2 * (-Math.log(0.5 + EPS) / 2 / 4 - Math.log(0.75 + EPS) / 2 / 2);
        assertEquals(image0, perImage.getDouble(0, 0), 1e-12);
        assertEquals(2 * expected - image0, perImage.getDouble(1, 0), 1e-12);
    }

    @Test
    void emptySubsetContributesNothing() {
        INDArray labels = matrix(new double[][]{{1, 1, -1, -1}});
        INDArray a = matrix(new double[][]{{0.9, 0.7, 0.1, 0.3}});
        double expected = (-Math.log(0.9 + EPS) - Math.log(0.7 + EPS)) / 2 / 4;
        assertEquals(expected, new AffinityLoss().computeScore(labels, a, IDENTITY, null, true), 1e-12);
        INDArray allDropped = matrix(new double[][]{{-1, -1, -1, -1}});
        assertEquals(0.0, new AffinityLoss().computeScore(allDropped, a, IDENTITY, null, true));
        INDArray gradient = new AffinityLoss().computeGradient(allDropped, a, IDENTITY, null);
        assertEquals(0.0, gradient.norm1Number().doubleValue());
    }

    @Test
    void gradientMatchesCentralDifferencesOfTheScore() {
        Random random = new Random(5);
        int rows = 3;
        int cols = 8;
        double[][] lab = new double[rows][cols];
        double[][] pre = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                lab[r][c] = random.nextInt(4) - 1;
                pre[r][c] = 0.05 + 0.9 * random.nextDouble();
            }
        }
        AffinityLoss loss = new AffinityLoss(0.2, 0.3, 0.5, 1e-4);
        INDArray labels = matrix(lab);
        // identity as in AffinityNets, and sigmoid to check the chain through a non-trivial activation
        for (IActivation activation : new IActivation[]{IDENTITY, new ActivationSigmoid()}) {
            INDArray preOutput = matrix(pre);
            Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, preOutput, activation, null, false);
            INDArray gradient = loss.computeGradient(labels, preOutput, activation, null);
            assertEquals(both.getFirst(), loss.computeScore(labels, preOutput, activation, null, false), 1e-12);
            double h = 1e-6;
            for (int i = 0; i < rows * cols; i++) {
                INDArray plus = preOutput.dup();
                INDArray minus = preOutput.dup();
                plus.putScalar(i, plus.getDouble(i) + h);
                minus.putScalar(i, minus.getDouble(i) - h);
                double numeric = (loss.computeScore(labels, plus, activation, null, false)
                        - loss.computeScore(labels, minus, activation, null, false)) / (2 * h);
                assertEquals(numeric, gradient.getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)),
                        activation + " element " + i);
                assertEquals(gradient.getDouble(i), both.getSecond().getDouble(i), 1e-15);
            }
        }
    }

    @Test
    void maskedPairsAreDropped() {
        INDArray labels = matrix(new double[][]{{1, 0}, {2, 0}});
        INDArray a = matrix(new double[][]{{0.4, 0.3}, {0.7, 0.6}});
        INDArray rowMask = Nd4j.createFromArray(new double[][]{{1}, {0}});
        INDArray onlyFirstRow = matrix(new double[][]{{1, 0}, {-1, -1}});
        AffinityLoss loss = new AffinityLoss();
        assertEquals(loss.computeScore(onlyFirstRow, a, IDENTITY, null, false),
                loss.computeScore(labels, a, IDENTITY, rowMask, false), 1e-12);
        INDArray entryMask = matrix(new double[][]{{1, 0}, {1, 1}});
        INDArray withoutOne = matrix(new double[][]{{1, -1}, {2, 0}});
        assertArrayEquals(loss.computeGradient(withoutOne, a, IDENTITY, null).toDoubleMatrix(),
                loss.computeGradient(labels, a, IDENTITY, entryMask).toDoubleMatrix());
    }

    @Test
    void gradientPushesPositivesUpAndNegativesDown() {
        INDArray labels = matrix(new double[][]{{1, 2, 0}});
        INDArray gradient = new AffinityLoss().computeGradient(labels, matrix(new double[][]{{0.5, 0.5, 0.5}}),
                IDENTITY, null);
        assertTrue(gradient.getDouble(0) < 0 && gradient.getDouble(1) < 0 && gradient.getDouble(2) > 0);
        assertEquals(DataType.DOUBLE, gradient.dataType());
    }

    @Test
    void rejectsUnknownCodesAndShapeMismatch() {
        AffinityLoss loss = new AffinityLoss();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> loss.computeScore(
                matrix(new double[][]{{3}}), matrix(new double[][]{{0.5}}), IDENTITY, null, false));
        assertTrue(bad.getMessage().contains("3.0"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.computeScore(
                matrix(new double[][]{{1, 1}}), matrix(new double[][]{{0.5}}), IDENTITY, null, false));
        assertThrows(IllegalArgumentException.class, () -> new AffinityLoss(-1, 0.25, 0.5, 1e-5));
    }
}
