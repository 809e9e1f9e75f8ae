package org.wsss.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Bilinear upsampling of a feature map [N, C, h, w] (NCHW) by an integer factor to [N, C, h*f, w*f], with pixel
 * centres aligned (PyTorch's {@code align_corners=False}, the mode irn uses to bring deeper levels to stride 4):
 * output cell i samples source coordinate (i + 0.5) / f - 0.5, clamped to [0, size - 1]. DL4J's own
 * {@code Upsampling2D} only repeats cells (nearest), which makes blocks of equal deep features and so
 * affinities that jump at block edges.
 */
public class BilinearUpsample extends ParamFreeLayer {

    @JsonProperty("factor")
    private int factor;

    /** For JSON restore. */
    public BilinearUpsample() {
        this.factor = 2;
    }

    public BilinearUpsample(int factor) {
        if (factor < 2) {
            throw new IllegalArgumentException("upsampling factor must be >= 2, got " + factor);
        }
        this.factor = factor;
    }

    public int getFactor() {
        return factor;
    }

    public void setFactor(int factor) {
        this.factor = factor;
    }

    @Override
    protected Layer newImpl(NeuralNetConfiguration conf, DataType networkDataType) {
        return new BilinearUpsampleImpl(conf, networkDataType);
    }

    @Override
    protected long workingMemoryFactor() {
        return 2L * factor * factor;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional conv = convolutional(layerIndex, inputType, "[N, C, h, w]");
        return InputType.convolutional(conv.getHeight() * factor, conv.getWidth() * factor, conv.getChannels(),
                conv.getFormat());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BilinearUpsample other && factor == other.factor
                && java.util.Objects.equals(getLayerName(), other.getLayerName());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(factor, getLayerName());
    }

    @Override
    public String toString() {
        return "BilinearUpsample(name=" + getLayerName() + ", factor=" + factor + ")";
    }
}
