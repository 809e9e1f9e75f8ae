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
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link ImagePoolingLayer}: forward broadcasts the per-channel grid mean; backward gives every cell
 * the channel's upstream sum divided by the cell count (each output cell depends on every input cell by 1/(h*w)).
 */
public class ImagePoolingLayerImpl extends ParamFreeLayerImpl<ImagePoolingLayer> {

    public ImagePoolingLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Type.CONVOLUTIONAL);
    }

    /** Fills target [N, C, h, w] with the [N, C] values repeated over the grid. */
    private static INDArray broadcast(INDArray perChannel, INDArray target) {
        target.assign(0);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(target, perChannel, target, 0, 1));
        return target;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 4) {
            throw new IllegalArgumentException("ImagePoolingLayer '" + layerConf().getLayerName()
                    + "' needs maps [N, C, h, w], got " + Arrays.toString(input.shape()));
        }
        INDArray mean = input.mean(2, 3);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        return broadcast(mean, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray perChannel = epsilon.sum(2, 3).divi(input.size(2) * input.size(3));
        INDArray grad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                'c');
        return new Pair<>(new DefaultGradient(), broadcast(perChannel, grad));
    }
}
