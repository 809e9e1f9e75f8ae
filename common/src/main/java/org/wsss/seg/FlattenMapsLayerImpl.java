package org.wsss.seg;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.wsss.nn.ParamFreeLayerImpl;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link FlattenMapsLayer}: a c-order reshape forward, its inverse backward. */
public class FlattenMapsLayerImpl extends ParamFreeLayerImpl<FlattenMapsLayer> {

    public FlattenMapsLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Type.FEED_FORWARD);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 4) {
            throw new IllegalArgumentException("FlattenMapsLayer '" + layerConf().getLayerName()
                    + "' needs maps [N, K, h, w], got " + Arrays.toString(input.shape()));
        }
        long n = input.size(0);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        out.assign(input);
        return out.reshape('c', n, n == 0 ? 0 : input.length() / n);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                epsilon.shape(), 'c');
        grad.assign(epsilon);
        return new Pair<>(new DefaultGradient(), grad.reshape('c', input.shape()));
    }
}
