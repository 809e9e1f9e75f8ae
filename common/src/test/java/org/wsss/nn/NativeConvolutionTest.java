package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wsss.testing.DoublePrecision;

class NativeConvolutionTest {

    /** One randomised layer setting; padding is ignored in Same mode. */
    private record Setting(int batch, int inC, int outC, int kernel, int stride, int dilation, int pad,
                           ConvolutionMode mode, boolean bias, Activation act, int h, int w) {
        ConvolutionLayer.Builder configure(ConvolutionLayer.Builder b) {
            b.nIn(inC).nOut(outC).stride(stride, stride).dilation(dilation, dilation).convolutionMode(mode)
                    .hasBias(bias).activation(act).weightInit(WeightInit.XAVIER);
            return mode == ConvolutionMode.Same ? b : b.padding(pad, pad);
        }

        static Setting random(Random r) {
            int kernel = new int[] {1, 3, 7}[r.nextInt(3)];
            int dilation = kernel == 1 ? 1 : 1 + r.nextInt(4);
            ConvolutionMode mode = r.nextBoolean() ? ConvolutionMode.Same : ConvolutionMode.Truncate;
            int pad = r.nextInt((kernel - 1) * dilation / 2 + 1);
            int span = (kernel - 1) * dilation + 1;
            int min = Math.max(1, span - 2 * pad);
            Activation act = new Activation[] {Activation.IDENTITY, Activation.IDENTITY, Activation.TANH,
                    Activation.ELU}[r.nextInt(4)];
            return new Setting(1 + r.nextInt(3), 1 + r.nextInt(9), 1 + r.nextInt(12), kernel, 1 + r.nextInt(2),
                    dilation, pad, mode, r.nextBoolean(), act, min + r.nextInt(9), min + r.nextInt(9));
        }
    }

    /** The layer alone in a graph, params initialised from the seed, gradient views allocated. */
    private static Layer single(ConvolutionLayer layer, Setting s, DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(type)
                .updater(new NoOp()).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(s.h(), s.w(), s.inC()))
                .addLayer("conv", layer, "in").setOutputs("conv").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.initGradientsView();
        return net.getLayer("conv");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 2e-5 * scale, what + ": max |diff| " + diff + " at scale " + scale);
    }

    @Test
    void outputsAndGradientsEqualDl4jConvolutionOnRandomShapes() {
        compareWithDl4j(false);
    }

    /** Stride-1 dilated convs as undilated convs over sub-grids (the path taken on oneDNN builds). */
    @Test
    void dilatedConvsOverSubgridsEqualDl4jConvolution() {
        compareWithDl4j(true);
    }

    private static void compareWithDl4j(boolean subgrids) {
        NativeConvolutionImpl.subgridsForDilated(subgrids);
        try {
            Random r = new Random(subgrids ? 15 : 14);
            int dilatedStride1 = 0;
            for (int t = 0; t < 60; t++) {
                Setting s = Setting.random(r);
                if (s.dilation() > 1 && s.stride() == 1) {
                    dilatedStride1++;
                }
                compareWithDl4j(s);
            }
            assertTrue(dilatedStride1 >= 10, "only " + dilatedStride1 + " dilated stride-1 settings");
        } finally {
            NativeConvolutionImpl.subgridsForDilated(null);
        }
    }

    private static void compareWithDl4j(Setting s) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        Layer dl4j = single(s.configure(new ConvolutionLayer.Builder(s.kernel(), s.kernel())).build(), s,
                DataType.FLOAT);
        Layer nat = single(s.configure(new NativeConvolution.Builder(s.kernel(), s.kernel())).build(), s,
                DataType.FLOAT);
        assertInstanceOf(NativeConvolutionImpl.class, nat);
        // random bias too (DL4J initialises it to 0), the same parameters in both
        INDArray params = Nd4j.rand(DataType.FLOAT, dl4j.params().shape()).subi(0.5);
        dl4j.setParams(params.dup());
        nat.setParams(params.dup());
        INDArray x = Nd4j.rand(DataType.FLOAT, s.batch(), s.inC(), s.h(), s.w()).subi(0.5).muli(4);
        dl4j.setInput(x.dup(), ws);
        nat.setInput(x.dup(), ws);
        INDArray expected = dl4j.activate(true, ws);
        INDArray actual = nat.activate(true, ws);
        assertClose(expected, actual, "output of " + s);

        INDArray eps = Nd4j.rand(DataType.FLOAT, expected.shape()).subi(0.5);
        Pair<Gradient, INDArray> e = dl4j.backpropGradient(eps.dup(), ws);
        Pair<Gradient, INDArray> a = nat.backpropGradient(eps.dup(), ws);
        assertClose(e.getSecond(), a.getSecond(), "input gradient of " + s);
        assertClose(e.getFirst().getGradientFor("W"), a.getFirst().getGradientFor("W"), "W gradient of " + s);
        assertEquals(s.bias(), a.getFirst().gradientForVariable().containsKey("b"), "bias gradient of " + s);
        if (s.bias()) {
            assertClose(e.getFirst().getGradientFor("b"), a.getFirst().getGradientFor("b"),
                    "b gradient of " + s);
        }
        // the gradients are written into the network's gradient views, as DL4J's updater expects
        assertClose(dl4j.getGradientsViewArray(), nat.getGradientsViewArray(), "gradient view of " + s);
    }

    @Test
    void oneByOneConvIsAMatrixProductPerPixel() {
        // out[n, o, y, x] = b[o] + sum_i W[o, i] x[n, i, y, x], computed by hand
        Setting s = new Setting(1, 2, 2, 1, 1, 1, 0, ConvolutionMode.Truncate, true, Activation.IDENTITY, 1, 2);
        Layer nat = single(s.configure(new NativeConvolution.Builder(1, 1)).build(), s, DataType.FLOAT);
        // params: W [2, 2, 1, 1] = {{1, 2}, {3, 4}} then b = {10, 20} (DL4J's flattened order: b first)
        nat.setParams(Nd4j.createFromArray(new float[] {10, 20, 1, 2, 3, 4}).reshape(1, 6));
        INDArray x = Nd4j.createFromArray(new float[] {1, 2, 3, 4}).reshape(1, 2, 1, 2);
        nat.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray out = nat.activate(false, LayerWorkspaceMgr.noWorkspaces());
        // pixel (0,0): x = (1, 3); pixel (0,1): x = (2, 4)
        assertArrayEquals(new float[] {10 + 1 + 6, 10 + 2 + 8, 20 + 3 + 12, 20 + 6 + 16},
                out.reshape(4).toFloatVector(), 1e-6f);
    }

    @Test
    void gradientsMatchFiniteDifferencesInDoublePrecision() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(7, 6, 2))
                .addLayer("c1", new NativeConvolution.Builder(3, 3).nOut(3).stride(2, 1).dilation(1, 2)
                        .padding(1, 2).convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH)
                        .biasInit(0.1).build(), "in")
                .addLayer("c2", new NativeConvolution.Builder(3, 3).nOut(2).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "c1")
                .addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "c2")
                .setOutputs("loss").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 7, 6).subi(0.5).muli(3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, net.outputSingle(x).shape());
        assertTrue(DoublePrecision.call(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[] {x}).labels(new INDArray[] {y})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9))));
    }

    @Test
    void savedModelsRestoreTheirOwnConvolutionImplementation() {
        Setting s = new Setting(2, 3, 4, 3, 2, 2, 1, ConvolutionMode.Same, true, Activation.ELU, 9, 8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 9, 8);
        for (boolean nativeConv : new boolean[] {true, false}) {
            ConvolutionLayer.Builder b = nativeConv ? new NativeConvolution.Builder(3, 3)
                    : new ConvolutionLayer.Builder(3, 3);
            ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(9)
                    .dataType(DataType.FLOAT).graphBuilder().addInputs("in")
                    .setInputTypes(InputType.convolutional(9, 8, 3))
                    .addLayer("conv", s.configure(b).build(), "in").setOutputs("conv").build());
            net.init();
            ComputationGraph back = ModelZip.fromBytes(ModelZip.toBytes(net, true), true);
            assertEquals(nativeConv ? NativeConvolutionImpl.class
                    : org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class, back.getLayer("conv").getClass());
            assertEquals(net.getConfiguration().toJson(), back.getConfiguration().toJson());
            assertClose(net.outputSingle(x), back.outputSingle(x), "restored output");
        }
    }

    @Test
    void nativeAndDl4jLayersAreDifferentConfigurations() {
        ConvolutionLayer plain = new ConvolutionLayer.Builder(3, 3).nOut(4).build();
        ConvolutionLayer nat = new NativeConvolution.Builder(3, 3).nOut(4).build();
        assertTrue(!plain.equals(nat) && !nat.equals(plain));
        assertEquals(nat, new NativeConvolution.Builder(3, 3).nOut(4).build());
    }

    @Test
    void switchPicksTheBuilderAndRejectsUnknownNames() {
        Convs.Impl before = Convs.current();
        try {
            Convs.use(Convs.Impl.parse("dl4j"));
            assertEquals(ConvolutionLayer.class, Convs.builder(3, 3).nOut(2).build().getClass());
            Convs.use(Convs.Impl.parse("native"));
            assertEquals(NativeConvolution.class, Convs.builder(3, 3).nOut(2).build().getClass());
        } finally {
            Convs.use(before);
        }
        assertEquals(Convs.DEFAULT.name().toLowerCase(java.util.Locale.ROOT),
                org.wsss.config.Params.Runtime.CONV.defaultValue(), "runtime.conv's default is Convs.DEFAULT");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Convs.Impl.parse("cudnn"));
        assertTrue(e.getMessage().contains("runtime.conv") && e.getMessage().contains("cudnn"));
    }
}
