package org.wsss.nn;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * Classification networks for CAMs: backbone -> {@link #FEATURES} -> global average pooling ({@link #POOL})
 * -> linear layer without bias, sigmoid, binary cross-entropy ({@link #SCORES}). Because the head is linear
 * and bias-free after an average, the class activation map of class c is ReLU(w_c . f(x, y)) and its
 * spatial mean is exactly the score's logit.
 *
 * <p>Input {@link #INPUT}: NCHW float [N, 3, H, W], normalised as {@link ImageTensors#toInput} does; any H, W.
 */
public final class ClassifierNets {
    public static final String INPUT = "image";
    public static final String FEATURES = "features";
    /** The small net's stride-4 level (48 channels): decoders and stride-4 AffinityNets tap it. */
    public static final String SMALL_STRIDE4_LEVEL = "relu3";
    /** The zoo-layout ResNet-50's stage 2 output (256 channels, stride 4). */
    public static final String RESNET50_ZOO_STRIDE4_LEVEL = "res2c_branch";
    /** {@code classifier.network} values that are ResNets ({@link #resnet}). */
    public static final List<String> RESNETS = List.of("resnet50", "resnet101", "resnet50-zoo");
    public static final String POOL = "pool";
    public static final String SCORES = "scores";

    /** Nominal input size given to DL4J's shape inference; the nets accept any size at run time. */
    private static final int NOMINAL_SIZE = 128;

    private ClassifierNets() {
    }

    public static ComputationGraph smallDilated(int numClasses, long seed) {
        return smallDilated(numClasses, seed, TrainingHyper.smallNetDefaults());
    }

    /**
     * Seven 3x3 conv + batch-norm + ReLU layers: three stride-2 steps (output stride 8), then dilations 2
     * and 4 so the last layer sees the whole of a 128 px image (receptive field 135 px) without further
     * downsampling. About 92M multiply-adds per 128x128 image.
     */
    public static ComputationGraph smallDilated(int numClasses, long seed, TrainingHyper hyper) {
        requireClasses(numClasses);
        GraphBuilder g = base(seed, hyper);
        // {nOut, stride, dilation}: the early layers stride at once because DL4J's CPU convolution is
        // slow at high resolution; the dilated 16x16 layers carry most of the ~300k parameters.
        int[][] spec = {{16, 2, 1}, {32, 2, 1}, {48, 1, 1}, {64, 2, 1}, {96, 1, 1}, {96, 1, 2}, {128, 1, 4}};
        String in = INPUT;
        for (int i = 0; i < spec.length; i++) {
            String n = Integer.toString(i + 1);
            g.addLayer("conv" + n, Convs.builder(3, 3).nOut(spec[i][0])
                    .stride(spec[i][1], spec[i][1]).dilation(spec[i][2], spec[i][2])
                    .hasBias(false).activation(Activation.IDENTITY).build(), in);
            g.addLayer("bn" + n, batchNorm(), "conv" + n);
            in = i == spec.length - 1 ? FEATURES : "relu" + n;
            g.addLayer(in, relu(), "bn" + n);
        }
        return finish(g, numClasses, hyper);
    }

    /**
     * The ResNet {@code network} names ({@link #RESNETS}): "resnet50" and "resnet101" in torchvision's layout
     * ({@link TorchResNet}, for torchvision/timm weights), "resnet50-zoo" in the zoo's ({@link #resnet50Zoo}).
     */
    public static ComputationGraph resnet(String network, int numClasses, int outputStride, long seed,
                                          TrainingHyper hyper) {
        if (network.equals("resnet50-zoo")) {
            return resnet50Zoo(numClasses, outputStride, seed, hyper);
        }
        return torchResnet(TorchResNet.spec(network), numClasses, outputStride, seed, hyper);
    }

    /**
     * Stage outputs of the ResNet {@code network}: strides 4, 8, then stage 4 and {@link #FEATURES} (16 and 32
     * undilated; the output stride sets how much of that dilation replaces).
     */
    public static List<String> resnetLevels(String network) {
        if (network.equals("resnet50-zoo")) {
            return List.of(RESNET50_ZOO_STRIDE4_LEVEL, "res3d_branch", "res4f_branch", FEATURES);
        }
        TorchResNet.Spec spec = TorchResNet.spec(network);
        return List.of(spec.stageOutput(1), spec.stageOutput(2), spec.stageOutput(3), FEATURES);
    }

    /** A torchvision-layout ResNet backbone ({@link TorchResNet}) with this class's CAM head, at output stride 8 or 16. */
    public static ComputationGraph torchResnet(TorchResNet.Spec spec, int numClasses, int outputStride, long seed,
                                               TrainingHyper hyper) {
        requireClasses(numClasses);
        requireStride("ResNet", outputStride, 8, 16);
        GraphBuilder g = base(seed, hyper);
        TorchResNet.addBackbone(g, INPUT, spec, outputStride, FEATURES);
        return finish(g, numClasses, hyper);
    }

    public static ComputationGraph resnet50Zoo(int numClasses, int outputStride, long seed) {
        return resnet50Zoo(numClasses, outputStride, seed, TrainingHyper.resnetDefaults());
    }

    /**
     * ResNet-50 (bottleneck blocks [3, 4, 6, 3], stride on the first 1x1 conv as in the Keras/Caffe model)
     * with parameter layers named as in DL4J's zoo ResNet50, so its ImageNet weights copy over by name
     * ({@link PretrainedInit}). Output stride 16: stage 5 keeps stride 1 with dilation 2; output stride 8:
     * stage 4 also, with dilation 2 there and 4 in stage 5.
     */
    public static ComputationGraph resnet50Zoo(int numClasses, int outputStride, long seed, TrainingHyper hyper) {
        requireClasses(numClasses);
        requireStride("ResNet-50", outputStride, 8, 16);
        GraphBuilder g = base(seed, hyper);
        g.addLayer("stem-zero", new ZeroPaddingLayer.Builder(3, 3).build(), INPUT)
                .addLayer("stem-cnn1", Convs.builder(7, 7).stride(2, 2).nOut(64)
                        .convolutionMode(ConvolutionMode.Truncate).build(), "stem-zero")
                .addLayer("stem-batch1", batchNorm(), "stem-cnn1")
                .addLayer("stem-act1", relu(), "stem-batch1")
                .addLayer("stem-maxpool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX, new int[] {3, 3},
                        new int[] {2, 2}).build(), "stem-act1");
        boolean os8 = outputStride == 8;
        String in = stage(g, "stem-maxpool1", "2", 3, 64, 1, 1, false);
        in = stage(g, in, "3", 4, 128, 2, 1, false);
        in = stage(g, in, "4", 6, 256, os8 ? 1 : 2, os8 ? 2 : 1, false);
        stage(g, in, "5", 3, 512, 1, os8 ? 4 : 2, true);
        return finish(g, numClasses, hyper);
    }

    /**
     * Replaces the loss of the classifier's output layer (built with plain binary cross-entropy) in the network's
     * configuration, which the running layer reads and a saved model records. Call before training starts.
     */
    public static void useLoss(ComputationGraph net, ILossFunction loss) {
        GraphVertex v = net.getConfiguration().getVertices().get(SCORES);
        if (!(v instanceof LayerVertex lv) || !(lv.getLayerConf().getLayer() instanceof BaseOutputLayer out)) {
            throw new IllegalArgumentException("the network has no output layer '" + SCORES + "' to set a loss on");
        }
        out.setLossFn(loss);
        BaseOutputLayer running = (BaseOutputLayer) net.getLayer(SCORES).conf().getLayer();
        running.setLossFn(loss);
    }

    /** The loss of the classifier's output layer. */
    public static ILossFunction loss(ComputationGraph net) {
        return ((BaseOutputLayer) net.getLayer(SCORES).conf().getLayer()).getLossFn();
    }

    /**
     * The layers added for the task (the classifier head): everything with parameters after {@link #FEATURES}; none
     * for a net without that vertex (IRNet's branches: every layer then trains at the base rate).
     */
    public static Set<String> headLayers(ComputationGraph net) {
        if (!net.getConfiguration().getVertices().containsKey(FEATURES)) {
            return new LinkedHashSet<>();
        }
        Set<String> backbone = ancestorsOf(net.getConfiguration(), FEATURES);
        Set<String> head = new LinkedHashSet<>();
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() > 0 && !backbone.contains(name)) {
                head.add(name);
            }
        }
        return head;
    }

    /**
     * Sets the backbone learning rate to {@code baseLr} and the head's to {@code baseLr} times the multiplier
     * the net was built with (e.g. for poly decay between epochs); updater state (momentum, Adam moments) is
     * kept. The rates are changed in the layer configurations in place because DL4J's own per-layer
     * {@code setLearningRate} fails (NullPointerException in NetworkUtils.rebuildUpdaterStateArray) once
     * the updater exists and batch-norm layers are present; keeping the backbone/head ratio fixed keeps
     * DL4J's updater blocks valid.
     */
    public static void setBaseLearningRate(ComputationGraph net, double baseLr) {
        if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + baseLr);
        }
        Set<String> head = headLayers(net);
        double currentBase = Double.NaN;
        double currentHead = Double.NaN;
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            IUpdater u = updaterOf(layer);
            if (u != null) {
                double lr = u.getLearningRate(net.getIterationCount(), net.getEpochCount());
                if (head.contains(layer.conf().getLayer().getLayerName())) {
                    currentHead = lr;
                } else {
                    currentBase = lr;
                }
            }
        }
        double headLr = baseLr * (currentHead / currentBase);
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            IUpdater u = updaterOf(layer);
            if (u != null) {
                u.setLrAndSchedule(head.contains(layer.conf().getLayer().getLayerName()) ? headLr : baseLr, null);
            }
        }
    }

    private static IUpdater updaterOf(org.deeplearning4j.nn.api.Layer layer) {
        if (layer.numParams() > 0 && layer.conf().getLayer() instanceof BaseLayer bl
                && bl.getIUpdater() != null && bl.getIUpdater().hasLearningRate()) {
            return bl.getIUpdater();
        }
        return null;
    }

    /** Downsampling factor from the input to {@link #FEATURES} ({@link #strideTo}). */
    /** Throws IllegalArgumentException naming {@code what} unless {@code stride} is one of {@code allowed}. */
    public static void requireStride(String what, int stride, int... allowed) {
        if (java.util.Arrays.stream(allowed).noneMatch(a -> a == stride)) {
            throw new IllegalArgumentException(what + " output stride must be one of "
                    + java.util.Arrays.toString(allowed) + ", got " + stride);
        }
    }

    public static int outputStride(ComputationGraph net) {
        return strideTo(net.getConfiguration(), FEATURES);
    }

    /**
     * Downsampling factor from the input to {@code vertex}: the product of conv/pooling strides along the main
     * path (first input of each vertex, which in a residual block is the strided branch).
     */
    public static int strideTo(ComputationGraphConfiguration conf, String vertex) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        int stride = 1;
        String v = requireVertex(conf, vertex);
        while (inputs.containsKey(v)) {
            GraphVertex gv = conf.getVertices().get(v);
            if (gv instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                if (layer instanceof ConvolutionLayer c) {
                    stride *= c.getStride()[0];
                } else if (layer instanceof SubsamplingLayer s) {
                    stride *= s.getStride()[0];
                }
            }
            v = inputs.get(v).get(0);
        }
        return stride;
    }

    public static int numClasses(ComputationGraph net) {
        return (int) classifierWeights(net).size(1);
    }

    /** The head's weight matrix, shape [F, C] (DL4J dense layout nIn x nOut): column c-1 is class c. */
    public static INDArray classifierWeights(ComputationGraph net) {
        requireVertex(net.getConfiguration(), SCORES);
        return net.getLayer(SCORES).getParam("W");
    }

    /**
     * A builder that grows new layers on a backbone's configuration (a clone is up to the caller): layers added
     * without their own settings train at the head learning rate, Xavier-initialised, with the hyper's weight decay.
     */
    public static GraphBuilder extend(ComputationGraphConfiguration conf, long seed, TrainingHyper hyper) {
        NeuralNetConfiguration.Builder global = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(conf.getDataType())
                .updater(hyper.headUpdater())
                .weightInit(WeightInit.XAVIER)
                .weightDecay(hyper.weightDecay())
                .convolutionMode(ConvolutionMode.Same);
        return new GraphBuilder(conf, global);
    }

    private static GraphBuilder base(long seed, TrainingHyper hyper) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(hyper.backboneUpdater())
                .weightInit(WeightInit.RELU)
                .weightDecay(hyper.weightDecay())
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(NOMINAL_SIZE, NOMINAL_SIZE, 3));
    }

    private static ComputationGraph finish(GraphBuilder g, int numClasses, TrainingHyper hyper) {
        g.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), FEATURES)
                .addLayer(SCORES, new OutputLayer.Builder().lossFunction(new LossBinaryXENT())
                        .nOut(numClasses).activation(Activation.SIGMOID).hasBias(false)
                        .weightInit(WeightInit.XAVIER).updater(hyper.headUpdater()).build(), POOL)
                .setOutputs(SCORES);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /** One ResNet stage; returns the name of its last activation. */
    private static String stage(GraphBuilder g, String input, String stage, int blocks, int width, int stride,
                                int dilation, boolean last) {
        String in = input;
        for (int b = 0; b < blocks; b++) {
            String block = String.valueOf((char) ('a' + b));
            String out = last && b == blocks - 1 ? FEATURES : "res" + stage + block + "_branch";
            bottleneck(g, in, stage + block, width, b == 0 ? stride : 1, dilation, b == 0, out);
            in = out;
        }
        return in;
    }

    private static void bottleneck(GraphBuilder g, String input, String id, int width, int stride, int dilation,
                                   boolean projection, String output) {
        String conv = "res" + id + "_branch";
        String bn = "bn" + id + "_branch";
        String act = "act" + id + "_branch";
        g.addLayer(conv + "2a", conv(1, width, stride, 1), input)
                .addLayer(bn + "2a", batchNorm(), conv + "2a")
                .addLayer(act + "2a", relu(), bn + "2a")
                .addLayer(conv + "2b", conv(3, width, 1, dilation), act + "2a")
                .addLayer(bn + "2b", batchNorm(), conv + "2b")
                .addLayer(act + "2b", relu(), bn + "2b")
                .addLayer(conv + "2c", conv(1, 4 * width, 1, 1), act + "2b")
                .addLayer(bn + "2c", batchNorm(), conv + "2c");
        String shortcut = input;
        if (projection) {
            g.addLayer(conv + "1", conv(1, 4 * width, stride, 1), input)
                    .addLayer(bn + "1", batchNorm(), conv + "1");
            shortcut = bn + "1";
        }
        g.addVertex("short" + id + "_branch", new ElementWiseVertex(ElementWiseVertex.Op.Add), bn + "2c", shortcut)
                .addLayer(output, relu(), "short" + id + "_branch");
    }

    /** Convs keep their bias: the zoo/Keras ResNet-50 has one, and copying by name needs equal shapes. */
    private static ConvolutionLayer conv(int kernel, int nOut, int stride, int dilation) {
        return Convs.builder(kernel, kernel).nOut(nOut).stride(stride, stride)
                .dilation(dilation, dilation).activation(Activation.IDENTITY).build();
    }

    /** Variance kept as "var" (not log10 std) so statistics copy from zoo models saved that way. */
    private static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().useLogStd(false).build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    /** {@code vertex} and every vertex it depends on. */
    public static Set<String> ancestorsOf(ComputationGraphConfiguration conf, String vertex) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(requireVertex(conf, vertex)));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                todo.addAll(inputs.getOrDefault(v, List.of()));
            }
        }
        return seen;
    }

    private static String requireVertex(ComputationGraphConfiguration conf, String name) {
        if (!conf.getVertices().containsKey(name)) {
            throw new IllegalArgumentException("network has no vertex named \"" + name
                    + "\"; it was not built by ClassifierNets");
        }
        return name;
    }

    private static void requireClasses(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
    }
}
