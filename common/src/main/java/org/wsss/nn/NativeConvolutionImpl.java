package org.wsss.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link NativeConvolution}: forward is libnd4j's {@code conv2d}, backward its {@code conv2d_bp}, both
 * executed with {@code Nd4j.exec} so that the native library's platform implementation (oneDNN, cuDNN) runs
 * where the build has one. Everything else (parameters, activation, dropout, masks) is DL4J's ConvolutionLayer.
 */
public class NativeConvolutionImpl extends ConvolutionLayer {

    public NativeConvolutionImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        // DL4J's own helper (when enabled by system property) would take over the activation; the ops do the work
        helper = null;
    }

    /** The op arguments and output shape for one input. */
    private record Geometry(Conv2DConfig config, long[] outShape) {
        /** libnd4j's integer arguments, in {@link Conv2D}'s order (NCHW, weights [oC, iC, kH, kW]). */
        long[] intArgs() {
            return new long[] {config.getKH(), config.getKW(), config.getSH(), config.getSW(), config.getPH(),
                    config.getPW(), config.getDH(), config.getDW(), config.getPaddingMode().index, 0,
                    WeightsFormat.OIYX.ordinal()};
        }

        /**
         * Runs {@code conv2d} or {@code conv2d_bp}. libnd4j 1.0.0-M2.1's oneDNN implementation computes the
         * right/bottom padding from the undilated kernel, so oneDNN refuses every dilated convolution ("could not
         * create a descriptor for a dilated convolution"): those run libnd4j's generic kernel, helpers off for
         * this op only.
         */
        void exec(String op, INDArray[] inputs, INDArray[] outputs) {
            try (OpContext ctx = Nd4j.getExecutioner().buildContext()) {
                ctx.setIArguments(intArgs());
                ctx.setInputArrays(inputs);
                ctx.setOutputArrays(outputs);
                if (config.getDH() > 1 || config.getDW() > 1) {
                    ctx.allowHelpers(false);
                }
                Nd4j.exec(DynamicCustomOp.builder(op).build(), ctx);
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(op + " failed", e);
            }
        }
    }

    /**
     * Same mode passes no padding: libnd4j's SAME places it as DL4J does (the odd pixel at the bottom/right).
     * DL4J computes the output size, which also validates the shapes (Strict mode included) with its messages.
     */
    private Geometry geometry(INDArray in, long outChannels) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] d = c.getDilation();
        boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
        int[] p = same ? new int[] {0, 0} : c.getPadding();
        int[] out = ConvolutionUtils.getOutputSize(in, k, s, same ? null : p, c.getConvolutionMode(), d,
                CNN2DFormat.NCHW);
        Conv2DConfig config = Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1]).pH(p[0]).pW(p[1])
                .dH(d[0]).dW(d[1]).paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.OIYX).build();
        return new Geometry(config, new long[] {in.size(0), outChannels, out[0], out[1]});
    }

    private INDArray typedInput() {
        validateInputRank();
        INDArray in = input.castTo(dataType);
        validateInputDepth(in.size(1));
        return in;
    }

    private INDArray biasVector(INDArray bias) {
        return bias.reshape(bias.length());
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray in = typedInput();
        INDArray w = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        Geometry g = geometry(in, w.size(0));
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, g.outShape(), 'c');
        INDArray[] inputs = hasBias()
                ? new INDArray[] {in, w, biasVector(getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training,
                        workspaceMgr))}
                : new INDArray[] {in, w};
        g.exec("conv2d", inputs, new INDArray[] {out});
        return new Pair<>(out, null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray in = typedInput();
        INDArray w = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray eps = epsilon.castTo(dataType);
        // identity (the nets' convs feed batch norm): the gradient at the pre-activation is epsilon itself, so
        // the forward pass need not run again
        INDArray delta = layerConf().getActivationFn() instanceof ActivationIdentity ? eps
                : layerConf().getActivationFn().backprop(preOutput(true, true, workspaceMgr).getFirst(), eps)
                        .getFirst();
        Geometry g = geometry(in, w.size(0));
        INDArray epsNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, in.shape(), 'c');
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            g.exec("conv2d_bp", new INDArray[] {in, w, biasVector(getParamWithNoise(
                            ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr)), delta},
                    new INDArray[] {epsNext, weightGrad, biasVector(biasGrad)});
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        } else {
            g.exec("conv2d_bp", new INDArray[] {in, w, delta}, new INDArray[] {epsNext, weightGrad});
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
    }
}
