package org.wsss.nn;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A batch norm frozen for fine-tuning (irn's and DeepLab's practice with small batches per worker): it normalises
 * with its running statistics in training too, and neither they nor gamma/beta change. The parameters keep
 * their names and layout, so weights copy in and out as for {@link BatchNormalization}, and a saved model
 * restores it (Jackson records the class). DL4J's own {@code FrozenLayerWithBackprop} cannot wrap a batch norm:
 * its backward pass reads statistics that the inference-mode forward pass never computed.
 */
public class FrozenBatchNorm extends BatchNormalization {

    public FrozenBatchNorm() {
    }

    /** A frozen copy of {@code bn}: every setting copied field by field. */
    public static FrozenBatchNorm of(BatchNormalization bn) {
        FrozenBatchNorm out = new FrozenBatchNorm();
        try {
            for (Class<?> c = BatchNormalization.class; c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        f.setAccessible(true);
                        f.set(out, f.get(bn));
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot copy the batch-norm settings of " + bn.getLayerName(), e);
        }
        return out;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        return LayerWiring.wire(new FrozenBatchNormImpl(conf, networkDataType), conf, listeners, layerIndex,
                paramsView, initializeParams, initializer());
    }

    /** Nothing is updated; the zero gradients of {@link FrozenBatchNormImpl} make sure of it for any updater. */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return new NoOp();
    }

    @Override
    public FrozenBatchNorm clone() {
        return (FrozenBatchNorm) super.clone();
    }
}
