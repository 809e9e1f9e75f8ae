package org.wsss.nn;

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

import java.util.Collection;

/**
 * The configuration side shared by the project's hand-written, parameter-free DL4J layers (written by hand
 * because SameDiff lambda layers double their gradient in DL4J 1.0.0-M2.1): wiring of the runtime layer,
 * no preprocessor, and a memory report; a subclass gives its runtime layer and output type.
 */
public abstract class ParamFreeLayer extends NoParamLayer {

    /** The runtime layer for this configuration. */
    protected abstract Layer newImpl(NeuralNetConfiguration conf, DataType networkDataType);

    /** Working memory per example as a multiple of the input size (for DL4J's memory report). */
    protected long workingMemoryFactor() {
        return 1;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(newImpl(conf, networkDataType), conf, listeners, layerIndex, layerParamsView,
                initializeParams, initializer());
    }

    /** The input as a convolutional type, or an error naming the layer and the shape it needs. */
    protected InputType.InputTypeConvolutional convolutional(int layerIndex, InputType inputType, String shape) {
        if (!(inputType instanceof InputType.InputTypeConvolutional conv)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " '" + getLayerName() + "' (index "
                    + layerIndex + ") needs a convolutional input " + shape + ", got " + inputType);
        }
        return conv;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long working = inputType.arrayElementsPerExample() * workingMemoryFactor();
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, outputType)
                .standardMemory(0, 0)
                .workingMemory(0, working, 0, working)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
