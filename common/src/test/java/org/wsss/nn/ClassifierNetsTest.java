package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ClassifierNetsTest {
    private static final int C = 6;

    @Test
    void smallNetHasStride8FeaturesAndAScoreForEveryClass() {
        ComputationGraph net = ClassifierNets.smallDilated(C, 7);
        for (int[] hw : new int[][] {{64, 64}, {72, 100}}) {
            INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, hw[0], hw[1]);
            Map<String, INDArray> acts = net.feedForward(x, false);
            INDArray f = acts.get(ClassifierNets.FEATURES);
            assertArrayEquals(new long[] {2, 128, ceilDiv(hw[0], 8), ceilDiv(hw[1], 8)}, f.shape());
            INDArray scores = net.outputSingle(x);
            assertArrayEquals(new long[] {2, C}, scores.shape());
            assertTrue(scores.minNumber().doubleValue() > 0 && scores.maxNumber().doubleValue() < 1, "sigmoid range");
        }
        assertEquals(8, ClassifierNets.outputStride(net));
        assertEquals(C, ClassifierNets.numClasses(net));
    }

    @Test
    void smallNetParameterCountMatchesItsLayerSpecification() {
        // {in, out} of the seven 3x3 convs (no bias), each followed by batch norm (gamma, beta, mean, var).
        int[][] convs = {{3, 16}, {16, 32}, {32, 48}, {48, 64}, {64, 96}, {96, 96}, {96, 128}};
        long expected = 128L * C;
        for (int[] c : convs) {
            expected += 9L * c[0] * c[1] + 4L * c[1];
        }
        ComputationGraph net = ClassifierNets.smallDilated(C, 7);
        assertEquals(expected, net.numParams());
        assertTrue(expected > 100_000 && expected < 300_000, "small net size " + expected);
    }

    @Test
    void headIsTheBiasFreeLinearClassifierAndTrainsWithItsOwnRate() {
        ComputationGraph net = ClassifierNets.smallDilated(C, 7, new TrainingHyper("sgd", 0.02, 0.9, 1e-4, 10));
        assertEquals(Set.of(ClassifierNets.SCORES), ClassifierNets.headLayers(net));
        assertEquals(Set.of("W"), net.getLayer(ClassifierNets.SCORES).paramTable().keySet());
        assertEquals(0.2, net.getLearningRate(ClassifierNets.SCORES), 1e-12);
        assertEquals(0.02, net.getLearningRate("conv1"), 1e-12);
        ClassifierNets.setBaseLearningRate(net, 0.001);
        assertEquals(0.01, net.getLearningRate(ClassifierNets.SCORES), 1e-9);
        assertEquals(0.001, net.getLearningRate("bn3"), 1e-12);
    }

    @Test
    void changedLearningRateIsTheOneTrainingUses() {
        // One SGD step from the same parameters: a net built at rate 0.05 and lowered to 0.01 must move
        // exactly like a net built at 0.01.
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 16, 16);
        DataSet batch = new DataSet(x, Nd4j.create(new float[][] {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 0, 0}}));
        ComputationGraph reference = ClassifierNets.smallDilated(C, 7, new TrainingHyper("sgd", 0.01, 0.9, 0, 10));
        ComputationGraph lowered = ClassifierNets.smallDilated(C, 7, new TrainingHyper("sgd", 0.05, 0.9, 0, 10));
        lowered.fit(batch); // creates the updater and its state before the change
        lowered.setParams(reference.params().dup());
        lowered.getUpdater().getStateViewArray().assign(0);
        ClassifierNets.setBaseLearningRate(lowered, 0.01);
        reference.fit(batch);
        lowered.fit(batch);
        assertTrue(reference.params().equalsWithEps(lowered.params(), 1e-6), "same step after lowering the rate");
    }

    @Test
    void smallNetForwardBackwardReducesTheLossOnAFixedBatch() {
        ComputationGraph net = ClassifierNets.smallDilated(C, 7);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 24, 24);
        INDArray y = Nd4j.create(new float[][] {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 1, 0, 0}});
        DataSet batch = new DataSet(x, y);
        INDArray before = net.params().dup();
        double first = net.score(batch, false);
        for (int i = 0; i < 5; i++) {
            net.fit(batch);
        }
        double last = net.score(batch, false);
        assertFalse(before.equals(net.params()), "parameters changed");
        assertTrue(Double.isFinite(last) && last < first, "loss " + first + " -> " + last);
    }

    @Test
    void rejectsUnsupportedSettings() {
        assertThrows(IllegalArgumentException.class, () -> ClassifierNets.smallDilated(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TrainingHyper("rmsprop", 0.1, 0.9, 0, 1));
    }

    private static long ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
