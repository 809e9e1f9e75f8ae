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
 * Reshapes maps [N, K, h, w] (NCHW) to one row per image [N, K*h*w], (k, y, x) row-major, so that a
 * {@code LossLayer} after it hands its loss function whole images: {@link PixelCrossEntropy} needs per-image means
 * and {@link PointTripletLoss} must know which image each point came from. Unlike DL4J's
 * {@code CnnToFeedForwardPreProcessor}, which is fixed to the nominal input size, it takes any grid size per
 * minibatch.
 */
public class FlattenMapsLayer extends NoParamLayer {

    public FlattenMapsLayer() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        FlattenMapsLayerImpl layer = new FlattenMapsLayerImpl(conf, networkDataType);
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
        if (!(inputType instanceof InputType.InputTypeConvolutional conv)) {
            throw new IllegalArgumentException("FlattenMapsLayer '" + getLayerName() + "' (index " + layerIndex
                    + ") needs a convolutional input [N, K, h, w], got " + inputType);
        }
        return InputType.feedForward(conv.getChannels() * conv.getHeight() * conv.getWidth());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long size = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(getLayerName(), FlattenMapsLayer.class, inputType, outputType)
                .standardMemory(0, 0)
                .workingMemory(0, size, 0, size)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
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
