package org.wsss.seg;

import org.wsss.testing.DoublePrecision;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
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

class SegLayersTest {

    private static ComputationGraph single(org.deeplearning4j.nn.conf.layers.Layer layer, int c, int h, int w) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, c))
                .addLayer("layer", layer, "in").setOutputs("layer").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void imagePoolingBroadcastsEachChannelsGridMean() {
        ComputationGraph net = single(new ImagePoolingLayer(), 2, 3, 4);
        // any grid size at run time, not only the nominal 3x4
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 3);
        INDArray out = net.outputSingle(x);
        assertArrayEquals(x.shape(), out.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                for (int y = 0; y < 5; y++) {
                    for (int xx = 0; xx < 3; xx++) {
                        sum += x.getDouble(n, c, y, xx);
                    }
                }
                for (int y = 0; y < 5; y++) {
                    for (int xx = 0; xx < 3; xx++) {
                        assertEquals(sum / 15, out.getDouble(n, c, y, xx), 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void flattenMapsOrdersEachImageRowByPlaneRowColumn() {
        ComputationGraph net = single(new FlattenMapsLayer(), 3, 2, 2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        INDArray out = net.outputSingle(x);
        assertArrayEquals(new long[]{2, 60}, out.shape());
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                for (int y = 0; y < 4; y++) {
                    for (int xx = 0; xx < 5; xx++) {
                        assertEquals(x.getDouble(n, k, y, xx), out.getDouble(n, (k * 4 + y) * 5 + xx));
                    }
                }
            }
        }
    }

    @Test
    void gradientOfATwoHeadGraphWithImagePoolingMatchesFiniteDifferences() {
        int h = 4;
        int w = 5;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(h, w, 2))
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH).build(), "image")
                .addLayer("pool", new ImagePoolingLayer(), "c")
                .addLayer("pc", new ConvolutionLayer.Builder(1, 1).nOut(2).activation(Activation.TANH).build(), "pool")
                .addVertex("cat", new MergeVertex(), "c", "pc")
                .addLayer("logits", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.IDENTITY)
                        .build(), "cat")
                .addLayer("emb", new ConvolutionLayer.Builder(1, 1).nOut(2).activation(Activation.IDENTITY).build(),
                        "cat")
                .addLayer("logits-flat", new FlattenMapsLayer(), "logits")
                .addLayer("emb-flat", new FlattenMapsLayer(), "emb")
                .addLayer("seg", new LossLayer.Builder(new PixelCrossEntropy()).activation(Activation.IDENTITY)
                        .build(), "logits-flat")
                .addLayer("tri", new LossLayer.Builder(new PointTripletLoss(1.5, 0.8, 1))
                        .activation(Activation.IDENTITY).build(), "emb-flat")
                .setOutputs("seg", "tri").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        Random random = new Random(4);
        int cells = h * w;
        double[] classLabels = new double[2 * cells];
        double[] points = new double[2 * cells];
        Arrays.fill(points, 255);
        for (int i = 0; i < classLabels.length; i++) {
            classLabels[i] = random.nextInt(4) == 0 ? 255 : random.nextInt(3);
        }
        // image 0: classes 1, 2; image 1: classes 1, 2, 1
        points[3] = 1;
        points[11] = 2;
        points[cells + 2] = 1;
        points[cells + 9] = 2;
        points[cells + 17] = 1;
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 2, h, w).subi(0.5).muli(4);
        assertTrue(DoublePrecision.call(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[]{image})
                .labels(new INDArray[]{Nd4j.createFromArray(classLabels).reshape(2, cells),
                        Nd4j.createFromArray(points).reshape(2, cells)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(6))));
    }
}
