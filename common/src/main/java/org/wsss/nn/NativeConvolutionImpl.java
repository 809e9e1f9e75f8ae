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

    /**
     * The op arguments and output shape for one input; {@code sub} (with {@code inner}, its undilated conv) when a
     * dilated conv runs over sub-grids.
     */
    private record Geometry(Conv2DConfig config, long[] outShape, DilatedSubgrids sub, Geometry inner) {
        /** libnd4j's integer arguments, in {@link Conv2D}'s order (NCHW, weights [oC, iC, kH, kW]). */
        long[] intArgs() {
            return new long[] {config.getKH(), config.getKW(), config.getSH(), config.getSW(), config.getPH(),
                    config.getPW(), config.getDH(), config.getDW(), config.getPaddingMode().index, 0,
                    WeightsFormat.OIYX.ordinal()};
        }

        /**
         * Runs {@code conv2d} or {@code conv2d_bp}. libnd4j 1.0.0-M2.1's oneDNN implementation computes the
         * right/bottom padding from the undilated kernel, so oneDNN refuses every dilated convolution ("could not
         * create a descriptor for a dilated convolution"): those that {@link DilatedSubgrids} cannot take run
         * libnd4j's generic kernel, helpers off for this op only.
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
     * Whether stride-1 dilated convs run as undilated convs over sub-grids ({@link DilatedSubgrids}): on a build
     * whose libnd4j has oneDNN, which then takes them too; elsewhere the dilated kernel is as fast.
     */
    private static volatile Boolean subgridsForDilated;

    /** Overrides the choice made from the loaded native library (null: choose again); tests take both paths. */
    static void subgridsForDilated(Boolean on) {
        subgridsForDilated = on;
    }

    private static boolean subgridsForDilated() {
        Boolean on = subgridsForDilated;
        if (on == null) {
            Nd4j.create(1); // loads the backend
            on = org.bytedeco.javacpp.Loader.getLoadedLibraries().values().stream()
                    .anyMatch(path -> path.contains("nd4jcpu") && path.contains("onednn"));
            subgridsForDilated = on;
        }
        return on;
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
        long[] outShape = {in.size(0), outChannels, out[0], out[1]};
        Conv2DConfig config = config(k, s, p, d, same);
        if ((d[0] > 1 || d[1] > 1) && subgridsForDilated()) {
            int[] topLeft = same ? ConvolutionUtils.getSameModeTopLeftPadding(out,
                    new int[] {(int) in.size(2), (int) in.size(3)}, k, s, d) : p;
            DilatedSubgrids sub = DilatedSubgrids.of(k, s, d, topLeft, in.size(2), in.size(3));
            if (sub != null) {
                Geometry inner = new Geometry(config(k, s, new int[] {sub.qH, sub.qW}, new int[] {1, 1}, false),
                        new long[] {in.size(0) * d[0] * d[1], outChannels, sub.outH, sub.outW}, null, null);
                return new Geometry(config, outShape, sub, inner);
            }
        }
        return new Geometry(config, outShape, null, null);
    }

    private static Conv2DConfig config(int[] k, int[] s, int[] p, int[] d, boolean same) {
        return Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(s[0]).sW(s[1]).pH(p[0]).pW(p[1])
                .dH(d[0]).dW(d[1]).paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.OIYX).build();
    }

    private INDArray typedInput() {
        validateInputRank();
        INDArray in = input.castTo(dataType);
        validateInputDepth(in.size(1));
        return in;
    }

    /** Input, weights, the bias when there is one, then any further operands (conv2d_bp's output gradient). */
    private static INDArray[] operands(INDArray in, INDArray w, INDArray bias, INDArray... more) {
        java.util.List<INDArray> list = new java.util.ArrayList<>(java.util.List.of(in, w));
        if (bias != null) {
            list.add(bias);
        }
        list.addAll(java.util.List.of(more));
        return list.toArray(new INDArray[0]);
    }

    /** conv2d_bp's outputs: input gradient, weight gradient and, with a bias, its gradient (as a vector). */
    private INDArray[] gradients(INDArray input, INDArray weights, INDArray bias) {
        return bias == null ? new INDArray[] {input, weights} : new INDArray[] {input, weights, biasVector(bias)};
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
        INDArray bias = hasBias()
                ? biasVector(getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)) : null;
        if (g.sub() == null) {
            g.exec("conv2d", operands(in, w, bias), new INDArray[] {out});
        } else {
            DilatedSubgrids sub = g.sub();
            INDArray ys = Nd4j.createUninitialized(dataType, g.inner().outShape());
            g.inner().exec("conv2d", operands(sub.split(in, sub.inH, sub.inW), w, bias), new INDArray[] {ys});
            out.assign(sub.merge(ys, out.size(2), out.size(3)));
        }
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
        INDArray bias = null;
        INDArray biasGrad = null;
        if (hasBias()) {
            bias = biasVector(getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr));
            biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        if (g.sub() == null) {
            g.exec("conv2d_bp", operands(in, w, bias, delta), gradients(epsNext, weightGrad, biasGrad));
        } else {
            DilatedSubgrids sub = g.sub();
            INDArray xs = sub.split(in, sub.inH, sub.inW);
            INDArray gradXs = Nd4j.createUninitialized(dataType, xs.shape());
            g.inner().exec("conv2d_bp", operands(xs, w, bias, sub.split(delta, sub.outH, sub.outW)),
                    gradients(gradXs, weightGrad, biasGrad));
            epsNext.assign(sub.merge(gradXs, in.size(2), in.size(3)));
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
    }
}
