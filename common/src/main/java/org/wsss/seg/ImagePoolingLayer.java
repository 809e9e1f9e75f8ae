package org.wsss.seg;

import org.wsss.nn.ParamFreeLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The image-pooling branch's pooling of ASPP (DeepLab v3): out[n, c, y, x] = mean over the grid of in[n, c, ., .],
 * i.e. global average pooling already broadcast back to the input's grid. DL4J has no layer that upsamples to the
 * run-time size of another branch, so the branch pools-and-broadcasts first and applies its 1x1 conv + batch
 * norm + ReLU afterwards; on a constant map that equals the usual pool -> conv -> upsample order.
 */
public class ImagePoolingLayer extends ParamFreeLayer {

    public ImagePoolingLayer() {
    }

    @Override
    protected Layer newImpl(NeuralNetConfiguration conf, DataType networkDataType) {
        return new ImagePoolingLayerImpl(conf, networkDataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        convolutional(layerIndex, inputType, "[N, C, h, w]");
        return inputType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePoolingLayer other && java.util.Objects.equals(getLayerName(), other.getLayerName());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(ImagePoolingLayer.class, getLayerName());
    }

    @Override
    public String toString() {
        return "ImagePoolingLayer(name=" + getLayerName() + ")";
    }
}
