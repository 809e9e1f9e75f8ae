package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

class BalancedSigmoidLossTest {
    private static final IActivation SIGMOID = new ActivationSigmoid();

    @Test
    void scoreMatchesHandComputedTerms() {
        // one example, two classes: p = (0.8, 0.3), y = (1, 0), weights (3, 5), gamma 2
        // class 0: -3 * 0.2^2 * ln 0.8 ; class 1: -(0.3^2) * ln 0.7
        double expected = -3 * 0.04 * Math.log(0.8) - 0.09 * Math.log(0.7);
        BalancedSigmoidLoss loss = new BalancedSigmoidLoss(new double[]{3, 5}, 2);
        INDArray p = Nd4j.createFromArray(new double[][]{{0.8, 0.3}});
        INDArray y = Nd4j.createFromArray(new double[][]{{1, 0}});
        assertEquals(expected, loss.computeScore(y, p, new ActivationIdentity(), null, false), 1e-12);
        // gamma 0: positives weighted, negatives plain
        double plain = -3 * Math.log(0.8) - Math.log(0.7);
        assertEquals(plain, new BalancedSigmoidLoss(new double[]{3, 5}, 0)
                .computeScore(y, p, new ActivationIdentity(), null, false), 1e-12);
    }

    @Test
    void unitWeightsAndNoFocusEqualDl4jBinaryCrossEntropy() {
        Random r = new Random(3);
        INDArray pre = Nd4j.rand(DataType.DOUBLE, 4, 5).subi(0.5).muli(6);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 4, 5);
        for (int i = 0; i < 20; i++) {
            y.putScalar(i / 5, i % 5, r.nextBoolean() ? 1 : 0);
        }
        double ours = new BalancedSigmoidLoss(new double[]{1, 1, 1, 1, 1}, 0)
                .computeScore(y, pre, SIGMOID, null, false);
        double dl4j = new LossBinaryXENT().computeScore(y, pre, SIGMOID, null, false);
        assertEquals(dl4j, ours, 1e-6 * Math.abs(dl4j));
        INDArray gOurs = new BalancedSigmoidLoss().computeGradient(y, pre, SIGMOID, null);
        INDArray gDl4j = new LossBinaryXENT().computeGradient(y, pre, SIGMOID, null);
        assertArrayEquals(flat(gDl4j), flat(gOurs), 1e-6);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        INDArray pre = Nd4j.createFromArray(new double[][]{{-2.0, 0.3, 1.7}, {0.9, -0.4, -1.1}});
        INDArray y = Nd4j.createFromArray(new double[][]{{1, 0, 1}, {0, 1, 0}});
        INDArray rowMask = Nd4j.createFromArray(new double[][]{{1}, {0}});
        for (double gamma : new double[]{0, 0.5, 2}) {
            BalancedSigmoidLoss loss = new BalancedSigmoidLoss(new double[]{4, 1.5, 2}, gamma);
            for (INDArray mask : new INDArray[]{null, rowMask}) {
                double[] analytic = flat(loss.computeGradient(y, pre, SIGMOID, mask));
                double h = 1e-6;
                for (int i = 0; i < analytic.length; i++) {
                    INDArray up = pre.dup();
                    INDArray down = pre.dup();
                    up.putScalar(i / 3, i % 3, pre.getDouble(i / 3, i % 3) + h);
                    down.putScalar(i / 3, i % 3, pre.getDouble(i / 3, i % 3) - h);
                    double numeric = (loss.computeScore(y, up, SIGMOID, mask, false)
                            - loss.computeScore(y, down, SIGMOID, mask, false)) / (2 * h);
                    assertEquals(numeric, analytic[i], 1e-6, "gamma " + gamma + " entry " + i);
                }
            }
        }
    }

    @Test
    void constantAnswerMinimisingTheLossIsOneHalfWhenPositivesAreWeightedByTheirRarity() {
        // 1 positive in 5 images: weight 4; the best constant p solves 4/p = 4/(1-p) -> 0.5. Unweighted it is 0.2.
        double[] w = BalancedSigmoidLoss.weightsFromCounts(new long[]{1}, 5, 100);
        assertArrayEquals(new double[]{4}, w, 0);
        INDArray y = Nd4j.createFromArray(new double[][]{{1}, {0}, {0}, {0}, {0}});
        assertEquals(0.5, bestConstant(new BalancedSigmoidLoss(w, 0), y), 1e-3);
        assertEquals(0.2, bestConstant(new BalancedSigmoidLoss(), y), 1e-3);
    }

    private static double bestConstant(BalancedSigmoidLoss loss, INDArray y) {
        double best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int k = 1; k < 1000; k++) {
            double p = k / 1000.0;
            double s = loss.computeScore(y, Nd4j.valueArrayOf(y.shape(), p), new ActivationIdentity(), null, false);
            if (s < bestScore) {
                bestScore = s;
                best = p;
            }
        }
        return best;
    }

    @Test
    void weightsFromCountsAreClampedAndRejectImpossibleCounts() {
        assertArrayEquals(new double[]{9, 1, 1, 20}, BalancedSigmoidLoss.weightsFromCounts(
                new long[]{10, 60, 0, 1}, 100, 20), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> BalancedSigmoidLoss.weightsFromCounts(new long[]{5}, 4, 20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BalancedSigmoidLoss(new double[]{1, -2}, 0));
        assertTrue(e.getMessage().contains("class 1") && e.getMessage().contains("-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BalancedSigmoidLoss(new double[]{1}, -1));
    }

    @Test
    void classifierTrainsWithTheLossAndASavedModelKeepsIt() throws Exception {
        ComputationGraph net = ClassifierNets.smallDilated(3, 5);
        BalancedSigmoidLoss loss = new BalancedSigmoidLoss(new double[]{2, 3, 7}, 1);
        ClassifierNets.useLoss(net, loss);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.createFromArray(new float[][]{{1, 0, 0}, {0, 1, 1}});
        // the score DL4J reports is our loss of the net's own training-mode outputs (mean over the 2 examples)
        INDArray p = net.output(true, x)[0].castTo(DataType.DOUBLE);
        double expected = loss.computeScore(y.castTo(DataType.DOUBLE), p, new ActivationIdentity(), null, true);
        net.setInputs(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        assertEquals(expected, net.score() - regularisation(net), 1e-4 * expected);
        File f = Files.createTempFile("clf", ".zip").toFile();
        try {
            ModelSerializer.writeModel(net, f, false);
            ComputationGraph back = ModelSerializer.restoreComputationGraph(f, false);
            assertEquals(loss, ClassifierNets.loss(back));
        } finally {
            f.delete();
        }
    }

    private static double[] flat(INDArray a) {
        return a.dup('c').reshape(a.length()).toDoubleVector();
    }

    private static double regularisation(ComputationGraph net) {
        return net.calcRegularizationScore(true);
    }
}
