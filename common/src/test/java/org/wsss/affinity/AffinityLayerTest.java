package org.wsss.affinity;

import org.wsss.testing.DoublePrecision;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class AffinityLayerTest {

    /** features -> AffinityLayer -> LossLayer(AffinityLoss): the head alone, no parameters. */
    static ComputationGraph headOnly(int depth, int h, int w, int radius) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new NoOp())
                .graphBuilder().addInputs("features").setInputTypes(InputType.convolutional(h, w, depth))
                .addLayer("affinity", new AffinityLayer(radius), "features")
                .addLayer("loss", new LossLayer.Builder(new AffinityLoss()).activation(Activation.IDENTITY).build(),
                        "affinity")
                .setOutputs("loss").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** The definition pair by pair, [n][p][y][x] flattened; off-grid targets NaN (not compared). */
    static double[] bruteForce(double[] f, int n, int depth, int h, int w, int radius) {
        DiscOffsets offsets = DiscOffsets.forwardHalf(radius);
        int planes = offsets.size();
        double[] out = new double[n * planes * h * w];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < planes; p++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int ty = y + offsets.dy()[p];
                        int tx = x + offsets.dx()[p];
                        double value = Double.NaN;
                        if (ty < h && tx >= 0 && tx < w) {
                            double sum = 0;
                            for (int d = 0; d < depth; d++) {
                                sum += Math.abs(f[((b * depth + d) * h + y) * w + x]
                                        - f[((b * depth + d) * h + ty) * w + tx]);
                            }
                            value = Math.exp(-sum / depth);
                        }
                        out[((b * planes + p) * h + y) * w + x] = value;
                    }
                }
            }
        }
        return out;
    }

    private static void assertMatchesBruteForce(ComputationGraph net, int n, int depth, int h, int w, int radius,
                                                long seed) {
        Random random = new Random(seed);
        double[] f = new double[n * depth * h * w];
        for (int i = 0; i < f.length; i++) {
            f[i] = random.nextGaussian();
        }
        INDArray out = net.outputSingle(Nd4j.createFromArray(f).reshape(n, depth, h, w));
        int planes = DiscOffsets.forwardHalf(radius).size();
        assertArrayEquals(new long[]{n, (long) planes * h * w}, out.shape());
        double[] expected = bruteForce(f, n, depth, h, w, radius);
        double[] actual = out.reshape(out.length()).toDoubleVector();
        for (int i = 0; i < expected.length; i++) {
            double want = Double.isNaN(expected[i]) ? 0 : expected[i];
            assertEquals(want, actual[i], 1e-12, "flat index " + i + " of a " + h + "x" + w + " grid");
        }
    }

    @Test
    void outputIsExpOfMinusMeanAbsoluteDifferenceForEveryForwardPair() {
        ComputationGraph net = headOnly(3, 4, 5, 3);
        assertMatchesBruteForce(net, 2, 3, 4, 5, 3, 7);
        // the same layer instance takes other grid sizes and minibatch sizes, also grids smaller than the disc
        assertMatchesBruteForce(net, 3, 3, 6, 7, 3, 8);
        assertMatchesBruteForce(net, 1, 3, 2, 2, 3, 9);
    }

    @Test
    void psaRadiusGivesThirtyFourPlanes() {
        assertEquals(34, new AffinityLayer(5).offsetCount());
        assertEquals(34 * 6 * 4, new AffinityLayer().getOutputType(0, InputType.convolutional(6, 4, 8))
                .arrayElementsPerExample());
        assertThrows(IllegalArgumentException.class, () -> new AffinityLayer(1));
    }

    @Test
    void gradientOfConvThenAffinityThenLossMatchesFiniteDifferences() {
        int h = 4;
        int w = 5;
        int radius = 3;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(h, w, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), "image")
                .addLayer("affinity", new AffinityLayer(radius), "conv")
                .addLayer("loss", new LossLayer.Builder(new AffinityLoss()).activation(Activation.IDENTITY).build(),
                        "affinity")
                .setOutputs("loss").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        Random random = new Random(11);
        int pairs = new AffinityLayer(radius).offsetCount() * h * w;
        double[] labels = new double[2 * pairs];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(4) - 1;
        }
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 2, h, w).subi(0.5).muli(4);
        assertTrue(DoublePrecision.call(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[]{image})
                .labels(new INDArray[]{Nd4j.createFromArray(labels).reshape(2, pairs)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9))));
    }
}
