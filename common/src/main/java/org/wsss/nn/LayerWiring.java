package org.wsss.nn;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every custom layer configuration's {@code instantiate} does after creating its runtime layer, as DL4J's own
 * layers do it: listeners, index, the parameter view and the parameter table initialised over it, the configuration.
 */
final class LayerWiring {
    private LayerWiring() {
    }

    static <T extends Layer> T wire(T layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                    int layerIndex, INDArray paramsView, boolean initializeParams,
                                    ParamInitializer initializer) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
