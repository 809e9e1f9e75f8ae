package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.TrainingHyper;

class DeeplabTest {

    private static int dilation(ComputationGraph net, String layer) {
        return ((ConvolutionLayer) net.getLayer(layer).conf().getLayer()).getDilation()[0];
    }

    @Test
    void outputStrideSixteenAsppOn64PixelImages() {
        ComputationGraph net = SegNets.deeplab(2, 16, 1, TrainingHyper.resnetDefaults());
        assertEquals(16, SegNets.outputStride(net));
        assertEquals(List.of(6, 12, 18), List.of(dilation(net, "aspp-rate6-conv"), dilation(net, "aspp-rate12-conv"),
                dilation(net, "aspp-rate18-conv")));
        assertEquals(3, SegNets.numScoredClasses(net));
        INDArray[] out = net.output(Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64).subi(0.5f));
        assertArrayEquals(new long[]{1, 3L * 4 * 4}, out[0].shape());
        assertArrayEquals(new long[]{1, (long) SegNets.DEEPLAB_EMBEDDING_DIM * 4 * 4}, out[1].shape());
        // ASPP, projection, classifier and embedding at 10x the backbone's 0.01; backbone names kept for pretraining
        Set<String> head = ClassifierNets.headLayers(net);
        assertTrue(head.containsAll(Set.of("aspp-1x1-conv", "aspp-pool-conv", "aspp-project-bn", SegNets.LOGITS,
                SegNets.EMBEDDING)), head.toString());
        assertTrue(net.getConfiguration().getVertices().containsKey("layer4.2.conv3"));
        // the custom image-pooling layer survives the JSON a model zip stores
        String json = net.getConfiguration().toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(json, back.toJson());
        assertTrue(((LayerVertex) back.getVertices().get("aspp-image-mean")).getLayerConf().getLayer()
                instanceof ImagePoolingLayer);
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.numParams() > 0 && layer.conf().getLayer() instanceof BaseLayer base) {
                assertEquals(head.contains(base.getLayerName()) ? 0.1 : 0.01,
                        base.getIUpdater().getLearningRate(0, 0), 1e-12, base.getLayerName());
            }
        }
    }

    @Test
    void outputStrideEightDoublesTheRates() {
        ComputationGraph net = SegNets.deeplab(1, 8, 2, TrainingHyper.resnetDefaults());
        assertEquals(8, SegNets.outputStride(net));
        assertEquals(List.of(12, 24, 36), List.of(dilation(net, "aspp-rate12-conv"),
                dilation(net, "aspp-rate24-conv"), dilation(net, "aspp-rate36-conv")));
        INDArray[] out = net.output(Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64).subi(0.5f));
        assertArrayEquals(new long[]{1, 2L * 8 * 8}, out[0].shape());
    }

    @Test
    void outputStrideFourIsDeeplabV3PlusOnTheStrideSixteenBackbone() {
        ComputationGraph net = SegNets.deeplab(2, 16, 4, 3, TrainingHyper.resnetDefaults());
        assertEquals(4, SegNets.outputStride(net));
        assertEquals(16, SegNets.inputMultiple(net));
        assertEquals(List.of(6, 12, 18), List.of(dilation(net, "aspp-rate6-conv"), dilation(net, "aspp-rate12-conv"),
                dilation(net, "aspp-rate18-conv")));
        INDArray[] out = net.output(Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64).subi(0.5f));
        assertArrayEquals(new long[]{1, 3L * 16 * 16}, out[0].shape());
        // v3+: stage 2 (256 channels) reduced to 48, two 3x3 convs of 256 on the concatenation with ASPP's 256
        assertEquals(256, ((ConvolutionLayer) net.getLayer("decoder-skip-conv").conf().getLayer()).getNIn());
        assertEquals(48 + 256, ((ConvolutionLayer) net.getLayer("decoder-conv1-conv").conf().getLayer()).getNIn());
        assertEquals(256, ((ConvolutionLayer) net.getLayer("decoder-conv2-conv").conf().getLayer()).getNOut());
        assertThrows(IllegalArgumentException.class, () -> SegNets.deeplab(2, 16, 8, 3,
                TrainingHyper.resnetDefaults()));
    }
}
