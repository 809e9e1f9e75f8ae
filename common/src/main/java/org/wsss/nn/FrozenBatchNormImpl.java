package org.wsss.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The running layer of {@link FrozenBatchNorm}: an affine map per channel, fixed. */
public class FrozenBatchNormImpl extends BatchNormalization {

    public FrozenBatchNormImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        return super.activate(false, mgr);
    }

    /**
     * y = gamma (x - mean) / sqrt(var + eps) + beta with every term fixed, so dL/dx = dL/dy gamma / sqrt(var + eps)
     * per channel, and every parameter's gradient is zero (DL4J moves the running statistics through their
     * "gradient", so zero keeps them too).
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        INDArray std;
        if (conf.isUseLogStd()) {
            std = Transforms.pow(Nd4j.valueArrayOf(getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).shape(),
                    10.0, epsilon.dataType()), getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                    .castTo(epsilon.dataType()), false);
        } else {
            std = Transforms.sqrt(getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).castTo(epsilon.dataType())
                    .add(conf.getEps()), false);
        }
        INDArray gamma = conf.isLockGammaBeta()
                ? Nd4j.valueArrayOf(std.shape(), conf.getGamma(), epsilon.dataType())
                : getParam(BatchNormalizationParamInitializer.GAMMA).castTo(epsilon.dataType());
        INDArray scale = gamma.div(std).reshape(std.length());
        int channelDim = epsilon.rank() == 4 && conf.getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
        INDArray in = epsilon.dup('c');
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(in, scale, out, channelDim));
        Gradient g = new DefaultGradient();
        for (String key : paramTable().keySet()) {
            INDArray view = gradientViews.get(key);
            view.assign(0);
            g.setGradientFor(key, view);
        }
        return new Pair<>(g, out);
    }
}
