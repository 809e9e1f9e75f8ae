package org.wsss.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * ResNet in torchvision's layout (torchvision.models.resnet.ResNet with Bottleneck blocks, the "v1.5" that
 * torchvision and timm publish ImageNet weights for): stem conv1 7x7/2 (pad 3) + bn1 + relu + maxpool 3x3/2
 * (pad 1); bottlenecks 1x1 -> 3x3 (the stage's stride here) -> 1x1 (x4 channels); a 1x1 conv + BN shortcut
 * ("downsample") on the first block of each stage; no conv bias; BN eps 1e-5.
 *
 * <p>Every parameter layer is named by its PyTorch module path ("conv1", "layer3.5.conv2",
 * "layer1.0.downsample.1", "fc"), so a state_dict key is the layer name plus ".weight", ".bias",
 * ".running_mean" or ".running_var" ({@link TorchWeights}). The output of block b of stage s is the vertex
 * "layer{s}.{b}" (the last block of the network may be renamed, e.g. to {@link ClassifierNets#FEATURES}).
 *
 * <p>Dilation (output stride 16 or 8) follows torchvision's {@code replace_stride_with_dilation} exactly: a
 * dilated stage's first block keeps the previous stage's dilation in its 3x3 conv and strides 1, its other
 * blocks use the stage's dilation; the shortcut conv strides 1.
 *
 * <p>Padding is explicit and symmetric (ConvolutionMode.Truncate), as PyTorch's: a 3x3 conv with dilation d pads
 * d. The max pool pads with zeros where PyTorch pads with -inf; its input is a ReLU output (>= 0), so a zero
 * never exceeds the window's real maximum and the results are equal.
 */
public final class TorchResNet {

    /** Bottleneck expansion: a block's output has 4 x its planes channels. */
    public static final int EXPANSION = 4;

    /**
     * @param stemWidth channels of conv1 (64 in torchvision)
     * @param planes    bottleneck width of each of the four stages (64, 128, 256, 512)
     * @param blocks    blocks per stage
     */
    public record Spec(int stemWidth, int[] planes, int[] blocks) {
        public Spec {
            if (stemWidth < 1 || planes.length != 4 || blocks.length != 4
                    || Arrays.stream(planes).anyMatch(p -> p < 1) || Arrays.stream(blocks).anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("a ResNet has a stem width >= 1 and four stages of >= 1 planes "
                        + "and >= 1 blocks, got stem " + stemWidth + ", planes " + Arrays.toString(planes)
                        + ", blocks " + Arrays.toString(blocks));
            }
            planes = planes.clone();
            blocks = blocks.clone();
        }

        public int featureChannels() {
            return planes[3] * EXPANSION;
        }

        /** Vertex name of stage {@code stage}'s (1..4) output before any renaming of the last block. */
        public String stageOutput(int stage) {
            return "layer" + stage + "." + (blocks[stage - 1] - 1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && s.stemWidth == stemWidth && Arrays.equals(s.planes, planes)
                    && Arrays.equals(s.blocks, blocks);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * stemWidth + Arrays.hashCode(planes)) + Arrays.hashCode(blocks);
        }

        @Override
        public String toString() {
            return "ResNet(stem " + stemWidth + ", planes " + Arrays.toString(planes) + ", blocks "
                    + Arrays.toString(blocks) + ")";
        }
    }

    public static final Spec RESNET50 = new Spec(64, new int[] {64, 128, 256, 512}, new int[] {3, 4, 6, 3});
    public static final Spec RESNET101 = new Spec(64, new int[] {64, 128, 256, 512}, new int[] {3, 4, 23, 3});

    private static final int NOMINAL_SIZE = 128;

    private TorchResNet() {
    }

    /** "resnet50" or "resnet101". */
    public static Spec spec(String arch) {
        return switch (arch) {
            case "resnet50" -> RESNET50;
            case "resnet101" -> RESNET101;
            default -> throw new IllegalArgumentException("unknown torchvision ResNet '" + arch
                    + "'; expected resnet50 or resnet101");
        };
    }

    /** 3x3 dilation of every stage (index 0..3) at this output stride, as replace_stride_with_dilation sets it. */
    static int[] stageDilation(int outputStride) {
        return switch (outputStride) {
            case 32 -> new int[] {1, 1, 1, 1};
            case 16 -> new int[] {1, 1, 1, 2};
            case 8 -> new int[] {1, 1, 2, 4};
            default -> throw new IllegalArgumentException("torchvision ResNet output stride must be 8, 16 or 32, got "
                    + outputStride);
        };
    }

    /**
     * Adds the backbone to {@code g} after {@code input}; the last block's output vertex is {@code outputName}.
     * Layers take the builder's defaults (updater, weight init, decay). Returns the four stage outputs.
     */
    public static List<String> addBackbone(GraphBuilder g, String input, Spec spec, int outputStride,
                                           String outputName) {
        int[] dilation = stageDilation(outputStride);
        g.addLayer("conv1", conv(7, spec.stemWidth(), 2, 1, 3), input)
                .addLayer("bn1", batchNorm(), "conv1")
                .addLayer("relu", relu(), "bn1")
                .addLayer("maxpool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX,
                        new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1})
                        .convolutionMode(ConvolutionMode.Truncate).build(), "relu");
        String in = "maxpool";
        int inChannels = spec.stemWidth();
        int previousDilation = 1;
        List<String> stages = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            int nominalStride = s == 0 ? 1 : 2;
            boolean dilated = dilation[s] > previousDilation;
            int stride = dilated ? 1 : nominalStride;
            for (int b = 0; b < spec.blocks()[s]; b++) {
                String block = "layer" + (s + 1) + "." + b;
                boolean lastOfNet = s == 3 && b == spec.blocks()[s] - 1;
                String out = lastOfNet ? outputName : block;
                int planes = spec.planes()[s];
                boolean first = b == 0;
                boolean shortcutConv = first && (stride != 1 || inChannels != planes * EXPANSION);
                bottleneck(g, in, block, planes, first ? stride : 1, first ? previousDilation : dilation[s],
                        shortcutConv, out);
                in = out;
                inChannels = planes * EXPANSION;
            }
            stages.add(in);
            previousDilation = dilation[s];
        }
        return stages;
    }

    /**
     * The ImageNet-style classifier: backbone -> "avgpool" (global average) -> "fc" (linear with bias, identity
     * activation, {@code numClasses} outputs), as the checkpoint's own head; output = logits.
     */
    public static ComputationGraph withLinearHead(Spec spec, int numClasses, int outputStride, long seed) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs(ClassifierNets.INPUT)
                .setInputTypes(InputType.convolutional(NOMINAL_SIZE, NOMINAL_SIZE, 3));
        addBackbone(g, ClassifierNets.INPUT, spec, outputStride, ClassifierNets.FEATURES);
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), ClassifierNets.FEATURES)
                .addLayer("fc", new OutputLayer.Builder().lossFunction(new LossMSE()).nOut(numClasses)
                        .activation(Activation.IDENTITY).hasBias(true).weightInit(WeightInit.XAVIER).build(),
                        "avgpool")
                .setOutputs("fc");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static void bottleneck(GraphBuilder g, String input, String block, int planes, int stride, int dilation,
                                   boolean shortcutConv, String output) {
        g.addLayer(block + ".conv1", conv(1, planes, 1, 1, 0), input)
                .addLayer(block + ".bn1", batchNorm(), block + ".conv1")
                .addLayer(block + ".relu1", relu(), block + ".bn1")
                .addLayer(block + ".conv2", conv(3, planes, stride, dilation, dilation), block + ".relu1")
                .addLayer(block + ".bn2", batchNorm(), block + ".conv2")
                .addLayer(block + ".relu2", relu(), block + ".bn2")
                .addLayer(block + ".conv3", conv(1, planes * EXPANSION, 1, 1, 0), block + ".relu2")
                .addLayer(block + ".bn3", batchNorm(), block + ".conv3");
        String shortcut = input;
        if (shortcutConv) {
            g.addLayer(block + ".downsample.0", conv(1, planes * EXPANSION, stride, 1, 0), input)
                    .addLayer(block + ".downsample.1", batchNorm(), block + ".downsample.0");
            shortcut = block + ".downsample.1";
        }
        g.addVertex(block + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), block + ".bn3", shortcut)
                .addLayer(output, relu(), block + ".add");
    }

    private static ConvolutionLayer conv(int kernel, int nOut, int stride, int dilation, int padding) {
        return Convs.builder(kernel, kernel).nOut(nOut).stride(stride, stride)
                .dilation(dilation, dilation).padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate).hasBias(false).activation(Activation.IDENTITY).build();
    }

    /** PyTorch's BatchNorm2d: eps 1e-5, running statistics as mean and variance, momentum 0.1 (DL4J decay 0.9). */
    private static BatchNormalization batchNorm() {
        return new BatchNormalization.Builder().eps(1e-5).decay(0.9).useLogStd(false).build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
