package org.wsss.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The runtime side of a {@link ParamFreeLayer}: what DL4J asks of every layer that has no parameters (no
 * pretraining, no weight noise), so a subclass holds only its forward and backward passes.
 */
public abstract class ParamFreeLayerImpl<L extends org.deeplearning4j.nn.conf.layers.Layer> extends AbstractLayer<L> {
    private final Type type;

    protected ParamFreeLayerImpl(NeuralNetConfiguration conf, DataType dataType, Type type) {
        super(conf, dataType);
        this.type = type;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters, so no weight noise
    }

    @Override
    public Type type() {
        return type;
    }
}
