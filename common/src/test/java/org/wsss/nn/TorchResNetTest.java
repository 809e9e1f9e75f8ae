package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** torchvision's ResNet-50/101 shapes: parameter counts, stage names, strides and dilations. */
class TorchResNetTest {

    /** BatchNorm channels (DL4J counts running mean and var as parameters, PyTorch keeps them as buffers). */
    private static long bnChannels(int stage3Blocks) {
        return 64
                + 3 * (64 + 64 + 256) + 256
                + 4 * (128 + 128 + 512) + 512
                + stage3Blocks * (256 + 256 + 1024) + 1024
                + 3 * (512 + 512 + 2048) + 2048;
    }

    @Test
    void parameterCountsAreTorchvisionsPlusBatchNormStatistics() {
        // torchvision.models.resnet50() / resnet101(): 25,557,032 and 44,549,160 parameters with the 1000-class fc
        assertEquals(25_557_032L + 2 * bnChannels(6),
                TorchResNet.withLinearHead(TorchResNet.RESNET50, 1000, 32, 1).numParams());
        assertEquals(44_549_160L + 2 * bnChannels(23),
                TorchResNet.withLinearHead(TorchResNet.RESNET101, 1000, 32, 1).numParams());
    }

    @Test
    void dilationFollowsReplaceStrideWithDilation() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64);
        for (int os : new int[] {8, 16}) {
            ComputationGraph net = ClassifierNets.resnet("resnet50", 5, os, 1, TrainingHyper.resnetDefaults());
            assertEquals(os, ClassifierNets.outputStride(net));
            INDArray f = net.output(List.of(ClassifierNets.FEATURES), false, new INDArray[] {x}, null)[0];
            assertArrayEquals(new long[] {1, 2048, 64 / os, 64 / os}, f.shape());
            assertEquals(List.of("layer1.2", "layer2.3", "layer3.5", ClassifierNets.FEATURES),
                    ClassifierNets.resnetLevels("resnet50"));
            // {dilation, stride}; torchvision: a dilated stage's first block keeps the previous stage's dilation
            int[][] expected = os == 16
                    ? new int[][] {{1, 2}, {1, 1}, {1, 1}, {1, 1}, {2, 1}, {2, 1}}
                    : new int[][] {{1, 1}, {2, 1}, {2, 1}, {1, 1}, {4, 1}, {4, 1}};
            String[] convs = {"layer3.0.conv2", "layer3.1.conv2", "layer4.0.conv2", "layer4.0.downsample.0",
                    "layer4.1.conv2", "layer4.2.conv2"};
            for (int i = 0; i < convs.length; i++) {
                ConvolutionLayer c = (ConvolutionLayer) net.getLayer(convs[i]).conf().getLayer();
                assertEquals(expected[i][0], c.getDilation()[0], convs[i] + " dilation at os " + os);
                assertEquals(expected[i][1], c.getStride()[0], convs[i] + " stride at os " + os);
            }
        }
        assertEquals(List.of("layer1.2", "layer2.3", "layer3.22", ClassifierNets.FEATURES),
                ClassifierNets.resnetLevels("resnet101"));
        assertThrows(IllegalArgumentException.class, () -> ClassifierNets.resnet("resnet50", 3, 32, 1,
                TrainingHyper.resnetDefaults()));
        assertThrows(IllegalArgumentException.class, () -> ClassifierNets.resnet("resnet18", 3, 16, 1,
                TrainingHyper.resnetDefaults()));
    }
}
