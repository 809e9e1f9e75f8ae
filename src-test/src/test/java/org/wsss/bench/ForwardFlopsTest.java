package org.wsss.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wsss.nn.ClassifierNets;

class ForwardFlopsTest {

    @Test
    void countsEachConvolutionAtItsOwnOutputSize() {
        // 5x5 conv, stride 2, Same on 9x7 -> 5x4 x 8 channels; then 1x1 Truncate 8 -> 4 at 5x4.
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("a", new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(8)
                        .convolutionMode(ConvolutionMode.Same).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(1, 1).nOut(4)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "a")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(2)
                        .activation(Activation.SIGMOID).build(), "gap")
                .setOutputs("out").build());
        net.init();
        assertEquals(5 * 4 * 8 * 3 * 25 + 5 * 4 * 4 * 8, ForwardFlops.convMacs(net, 9, 7));
    }

    @Test
    void smallNetAt128MatchesItsLayerTable() {
        // {nOut, output side} of the seven 3x3 convs at 128 px: strides 2, 2, 1, 2, 1, 1, 1.
        int[][] layers = {{16, 64}, {32, 32}, {48, 32}, {64, 16}, {96, 16}, {96, 16}, {128, 16}};
        long expected = 0;
        int nIn = 3;
        for (int[] l : layers) {
            expected += (long) l[1] * l[1] * l[0] * nIn * 9;
            nIn = l[0];
        }
        assertEquals(91_422_720L, expected, "hand sum");
        ComputationGraph net = ClassifierNets.smallDilated(6, 1);
        assertEquals(expected, ForwardFlops.convMacs(net, 128, 128));
        // Scales 1 and 0.5 with flip: 2 FLOPs per MAC, two images per scale; 64 px is 1/4 of the work.
        assertEquals(2.0 * 2 * (expected + expected / 4), ForwardFlops.camFlops(net, 128, new double[] {1.0, 0.5}, true));
    }
}
