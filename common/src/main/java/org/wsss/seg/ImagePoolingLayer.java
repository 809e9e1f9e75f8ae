package org.wsss.seg;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The image-pooling branch's pooling of ASPP (DeepLab v3): out[n, c, y, x] = mean over the grid of in[n, c, ., .],
 * i.e. global average pooling already broadcast back to the input's grid. DL4J has no layer that upsamples to the
 * run-time size of another branch, so the branch pools-and-broadcasts first and applies its 1x1 conv + batch
 * norm + ReLU afterwards; on a constant map that equals the usual pool -> conv -> upsample order.
 */
public class ImagePoolingLayer extends NoParamLayer {

    public ImagePoolingLayer() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        ImagePoolingLayerImpl layer = new ImagePoolingLayerImpl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional)) {
            throw new IllegalArgumentException("ImagePoolingLayer '" + getLayerName() + "' (index " + layerIndex
                    + ") needs a convolutional input [N, C, h, w], got " + inputType);
        }
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long size = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(getLayerName(), ImagePoolingLayer.class, inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, size, 0, size)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
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
