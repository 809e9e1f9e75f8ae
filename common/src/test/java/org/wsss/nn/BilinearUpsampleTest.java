package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wsss.testing.DoublePrecision;

class BilinearUpsampleTest {

    /** The layer alone on an input [N, C, h, w]. */
    private static ComputationGraph upsampler(int factor, int channels, int h, int w, DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(h, w, channels))
                .addLayer("up", new BilinearUpsample(factor), "in")
                .setOutputs("up").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void twoByTwoDoublesWithQuarterAndThreeQuarterWeightsAndClampedBorders() {
        // per axis, [a, b] -> [a, (3a + b) / 4, (a + 3b) / 4, b]: output centres sit at -0.25, 0.25, 0.75, 1.25
        // source cells, and the outer two clamp to the border cells
        INDArray in = Nd4j.createFromArray(new float[]{0, 4, 8, 12}).reshape(1, 1, 2, 2);
        float[] expected = {
                0, 1, 3, 4,
                2, 3, 5, 6,
                6, 7, 9, 10,
                8, 9, 11, 12};
        INDArray out = upsampler(2, 1, 2, 2, DataType.FLOAT).outputSingle(in);
        assertArrayEquals(new long[]{1, 1, 4, 4}, out.shape());
        assertArrayEquals(expected, out.reshape(16).toFloatVector(), 1e-6f);
    }

    @Test
    void factorFourOnARowSamplesEighthCellSteps() {
        // centres at (i + 0.5) / 4 - 0.5 = -0.375, -0.125, 0.125, ..., 1.375; clamped to [0, 1]; times 8
        INDArray in = Nd4j.createFromArray(new float[]{0, 8, 8, 8, 0, 8}).reshape(1, 2, 1, 3);
        INDArray out = upsampler(4, 2, 1, 3, DataType.FLOAT).outputSingle(in);
        assertArrayEquals(new long[]{1, 2, 4, 12}, out.shape());
        float[] firstRow = {0, 0, 1, 3, 5, 7, 8, 8, 8, 8, 8, 8};
        float[] secondChannelRow = {8, 8, 7, 5, 3, 1, 1, 3, 5, 7, 8, 8};
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(firstRow, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(y),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector(), 1e-6f, "row " + y);
            assertArrayEquals(secondChannelRow, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(y),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).toFloatVector(), 1e-6f, "row " + y);
        }
    }

    @Test
    void interpolationRowsSumToOne() {
        for (int size = 1; size <= 5; size++) {
            for (int factor = 2; factor <= 4; factor++) {
                double[][] r = BilinearUpsampleImpl.interpolation(size, factor);
                assertEquals(size * factor, r.length);
                for (double[] row : r) {
                    double sum = 0;
                    for (double v : row) {
                        assertTrue(v >= 0);
                        sum += v;
                    }
                    assertEquals(1.0, sum, 1e-12);
                }
            }
        }
    }

    @Test
    void gradientOfConvThenUpsampleMatchesFiniteDifferences() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(3, 2, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.TANH).build(), "in")
                .addLayer("up", new BilinearUpsample(2), "conv")
                .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "up")
                .setOutputs("loss").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 2).subi(0.5).muli(3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 4);
        assertTrue(DoublePrecision.call(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[]{x}).labels(new INDArray[]{y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9))));
    }

    @Test
    void backwardIsTheAdjointOfForward() {
        // <up(x), g> = <x, up^T(g)> for a linear map; checked through the layer's own backprop
        ComputationGraph net = upsampler(2, 3, 4, 5, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        INDArray g = Nd4j.rand(DataType.DOUBLE, 2, 3, 8, 10);
        org.deeplearning4j.nn.api.Layer layer = net.getLayer("up");
        layer.setInput(x, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        INDArray up = layer.activate(false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        INDArray back = layer.backpropGradient(g, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces())
                .getSecond();
        assertArrayEquals(x.shape(), back.shape());
        assertEquals(up.mul(g).sumNumber().doubleValue(), x.mul(back).sumNumber().doubleValue(), 1e-9);
    }
}
