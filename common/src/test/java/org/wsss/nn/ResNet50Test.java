package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ResNet50Test {

    /** Sum of conv output channels: 64 (stem) + per stage (6 * blocks + 4) * width (4 for the projection). */
    private static final long CONV_CHANNELS =
            64 + (6 * 3 + 4) * 64 + (6 * 4 + 4) * 128 + (6 * 6 + 4) * 256 + (6 * 3 + 4) * 512;

    @Test
    void featureGridFollowsTheOutputStrideAndParameterCountIsResNet50PlusHead() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64);
        for (int os : new int[] {8, 16}) {
            ComputationGraph net = ClassifierNets.resnet50Zoo(20, os, 3);
            INDArray f = net.output(List.of(ClassifierNets.FEATURES), false, new INDArray[] {x}, null)[0];
            int g = 64 / os;
            assertArrayEquals(new long[] {1, 2048, g, g}, f.shape(), "output stride " + os);
            assertEquals(os, ClassifierNets.outputStride(net));
            // torchvision's ResNet-50 without fc has 23,508,032 parameters; the zoo/Keras layout adds a
            // bias to each conv and DL4J counts batch-norm running mean and var as parameters.
            assertEquals(23_508_032L + 3 * CONV_CHANNELS + 2048L * 20, net.numParams());
            assertEquals(Set.of(ClassifierNets.SCORES), ClassifierNets.headLayers(net));
            if (os == 8) {
                zooNamesAndDilation(net);
            }
        }
    }

    private static void zooNamesAndDilation(ComputationGraph net) {
        var vertices = net.getConfiguration().getVertices();
        for (String name : List.of("stem-cnn1", "stem-batch1", "res2a_branch2a", "bn2a_branch2a", "res2a_branch1",
                "bn2a_branch1", "res3d_branch2c", "res4f_branch2b", "bn5c_branch2c")) {
            assertNotNull(vertices.get(name), name);
        }
        assertTrue(net.getLayer("bn4a_branch2a").conf().getLayer() instanceof BatchNormalization);
        ConvolutionLayer res4 = (ConvolutionLayer) net.getLayer("res4b_branch2b").conf().getLayer();
        ConvolutionLayer res5 = (ConvolutionLayer) net.getLayer("res5a_branch2b").conf().getLayer();
        ConvolutionLayer res5a = (ConvolutionLayer) net.getLayer("res5a_branch2a").conf().getLayer();
        ConvolutionLayer res3a = (ConvolutionLayer) net.getLayer("res3a_branch2a").conf().getLayer();
        assertArrayEquals(new int[] {2, 2}, res4.getDilation());
        assertArrayEquals(new int[] {4, 4}, res5.getDilation());
        assertArrayEquals(new int[] {1, 1}, res5a.getStride());
        assertArrayEquals(new int[] {2, 2}, res3a.getStride());
    }

    @Test
    void onlyOutputStrides8And16AreBuilt() {
        assertThrows(IllegalArgumentException.class, () -> ClassifierNets.resnet50Zoo(3, 32, 1));
        assertThrows(IllegalArgumentException.class, () -> ClassifierNets.resnet50Zoo(3, 4, 1));
    }
}
