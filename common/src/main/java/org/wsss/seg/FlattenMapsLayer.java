package org.wsss.seg;

import org.wsss.nn.ParamFreeLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reshapes maps [N, K, h, w] (NCHW) to one row per image [N, K*h*w], (k, y, x) row-major, so that a
 * {@code LossLayer} after it hands its loss function whole images: {@link PixelCrossEntropy} needs per-image means
 * and {@link PointTripletLoss} must know which image each point came from. Unlike DL4J's
 * {@code CnnToFeedForwardPreProcessor}, which is fixed to the nominal input size, it takes any grid size per
 * minibatch.
 */
public class FlattenMapsLayer extends ParamFreeLayer {

    public FlattenMapsLayer() {
    }

    @Override
    protected Layer newImpl(NeuralNetConfiguration conf, DataType networkDataType) {
        return new FlattenMapsLayerImpl(conf, networkDataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional conv = convolutional(layerIndex, inputType, "[N, K, h, w]");
        return InputType.feedForward(conv.getChannels() * conv.getHeight() * conv.getWidth());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlattenMapsLayer other && java.util.Objects.equals(getLayerName(), other.getLayerName());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(FlattenMapsLayer.class, getLayerName());
    }

    @Override
    public String toString() {
        return "FlattenMapsLayer(name=" + getLayerName() + ")";
    }
}
