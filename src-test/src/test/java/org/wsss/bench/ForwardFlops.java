package org.wsss.bench;

import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Forward-pass arithmetic of a convolutional {@link ComputationGraph}, counted from its layer configurations:
 * multiply-adds of the convolution layers (output pixels x nOut x kernel area x nIn; dilation does not change
 * it) for a given input size, with the output sizes DL4J's own shape inference gives for that size.
 * Batch norm, activations, pooling and the tiny linear head are not counted.
 */
public final class ForwardFlops {
    private ForwardFlops() {
    }

    /** Convolution multiply-adds of one forward pass of one RGB image of {@code height} x {@code width}. */
    public static long convMacs(ComputationGraph net, int height, int width) {
        // Shape inference may set nIn or add preprocessors: work on a copy.
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        Map<String, InputType> out = conf.getLayerActivationTypes(false, false,
                InputType.convolutional(height, width, 3));
        long macs = 0;
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                if (layer instanceof ConvolutionLayer c) {
                    InputType.InputTypeConvolutional o = (InputType.InputTypeConvolutional) out.get(e.getKey());
                    int[] k = c.getKernelSize();
                    macs += o.getHeight() * o.getWidth() * c.getNOut() * c.getNIn() * k[0] * k[1];
                }
            }
        }
        return macs;
    }

    /**
     * FLOPs (2 per multiply-add) of the forward passes CamExtractor makes for one {@code size} x {@code size}
     * image: one per scale at round(size * scale), twice with flip (the mirror rides in the same minibatch).
     */
    public static double camFlops(ComputationGraph net, int size, double[] scales, boolean flip) {
        double flops = 0;
        for (double s : scales) {
            int side = Math.max(1, (int) Math.round(size * s));
            flops += 2.0 * convMacs(net, side, side);
        }
        return flip ? 2 * flops : flops;
    }
}
