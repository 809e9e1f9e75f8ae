package org.wsss.nn;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D convolution configured exactly like DL4J's {@link ConvolutionLayer} (same builder, parameters "W"
 * [nOut, nIn, kH, kW] and "b" [1, nOut], same initialisation and output shapes), whose runtime layer
 * {@link NativeConvolutionImpl} runs libnd4j's {@code conv2d} / {@code conv2d_bp} custom ops instead of DL4J's
 * im2col + GEMM. DL4J 1.0.0-M2.1 gives its own layer no working oneDNN or cuDNN helper, while libnd4j's ops carry
 * oneDNN (onednn builds) and cuDNN (cudnn builds) platform implementations. Being a subclass, it is accepted
 * wherever a ConvolutionLayer is (shape inference, global convolution mode, pretrained copies by name).
 * NCHW only.
 */
public class NativeConvolution extends ConvolutionLayer {

    /** For JSON restore. */
    public NativeConvolution() {
        super();
    }

    protected NativeConvolution(Builder builder) {
        super(builder);
        if (getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException("NativeConvolution supports NCHW only, got " + getCnn2dDataFormat());
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("NativeConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new NativeConvolutionImpl(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams, initializer());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeConvolution && super.equals(o);
    }

    @Override
    protected boolean canEqual(Object other) {
        // a plain ConvolutionLayer with the same settings is a different layer (it runs another implementation)
        return other instanceof NativeConvolution;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 1;
    }

    /** ConvolutionLayer's builder; {@link #build()} gives a NativeConvolution. */
    public static class Builder extends ConvolutionLayer.Builder {
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        @Override
        public NativeConvolution build() {
            // the same checks as ConvolutionLayer.Builder.build()
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new NativeConvolution(this);
        }
    }
}
