package org.wsss.seg;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wsss.nn.BilinearUpsample;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.Convs;
import org.wsss.nn.TrainingHyper;

/**
 * Segmentation networks with two outputs, for PDML and for training on pseudo-labels:
 * <ol>
 *   <li>{@link #SEG_LOSS}: class scores (logits) of K = numClasses + 1 classes (0 background) at the backbone's
 *   output stride, flattened per image to [N, K*h*w] (k, y, x order), trained by {@link PixelCrossEntropy};</li>
 *   <li>{@link #EMB_LOSS}: D-dim embeddings (1x1 conv on the classifier's input, not normalised, as PDML's margin
 *   of 20 needs unbounded distances) flattened to [N, D*h*w], trained by {@link PointTripletLoss}.</li>
 * </ol>
 * Scores stay at the output stride (4, 8 or 16): the loss is taken on the grid with labels brought down by
 * {@link SegTargets} (as DeepLab v1/v2 and psa do), and {@link SegPredictor} upsamples bilinearly to the image.
 * Train with a {@code MultiDataSet} of one input (the images, as {@code ImageTensors} makes them) and two label
 * arrays in this output order ({@link SegTargets#batch}); on Spark that means
 * {@code SparkComputationGraph.fitMultiDataSet}.
 *
 * <p>Backbone layers keep {@link ClassifierNets}' names (a trained classifier or ImageNet weights load by name) and
 * the base learning rate; the head (ASPP, classifier, embedding) trains at the rate times the hyper's head
 * multiplier, and {@link ClassifierNets#setBaseLearningRate} keeps that ratio under poly decay.
 */
public final class SegNets {

    public static final String INPUT = ClassifierNets.INPUT;
    public static final String LOGITS = "logits";
    public static final String EMBEDDING = "embedding";
    public static final String SEG_LOSS = "seg-loss";
    public static final String EMB_LOSS = "emb-loss";
    public static final int SMALL_EMBEDDING_DIM = 32;
    public static final int DEEPLAB_EMBEDDING_DIM = 64;
    /** DeepLab v3's ASPP width. */
    public static final int ASPP_CHANNELS = 256;
    /** DeepLab v3+'s reduction of the stride-4 level. */
    public static final int DECODER_SKIP_CHANNELS = 48;
    private static final int SMALL_DECODER_WIDTH = 64;

    private static final int NOMINAL_SIZE = 128;

    private SegNets() {
    }

    /** The small net at its backbone's output stride 8. */
    public static ComputationGraph small(int numClasses, long seed, TrainingHyper hyper) {
        return small(numClasses, 8, seed, hyper);
    }

    /**
     * The small dilated classifier backbone (128 channels at stride 8) with a 1x1 conv classifier and a 1x1 conv
     * embedding of {@link #SMALL_EMBEDDING_DIM}: on its features (output stride 8), or (4) on a
     * {@linkplain #decoder decoder} that joins them with the backbone's stride-4 level.
     *
     * @param numClasses foreground classes C; the net scores C + 1
     * @param outputStride 4 or 8
     */
    public static ComputationGraph small(int numClasses, int outputStride, long seed, TrainingHyper hyper) {
        ClassifierNets.requireStride("small net", outputStride, 4, 8);
        GraphBuilder g = headBuilder(ClassifierNets.smallDilated(numClasses, seed, hyper), seed, hyper);
        String features = outputStride == 4
                ? decoder(g, ClassifierNets.FEATURES, 8, ClassifierNets.SMALL_STRIDE4_LEVEL, SMALL_DECODER_WIDTH, 1,
                hyper)
                : ClassifierNets.FEATURES;
        return finish(g, features, numClasses, SMALL_EMBEDDING_DIM, hyper);
    }

    /** DeepLab at the backbone's output stride (8 or 16). */
    public static ComputationGraph deeplab(int numClasses, int outputStride, long seed, TrainingHyper hyper) {
        return deeplab(numClasses, outputStride, outputStride, seed, hyper);
    }

    /**
     * DeepLab v3 on the dilated torchvision-layout ResNet-50 of {@link ClassifierNets#resnet}: atrous spatial
     * pyramid pooling on its
     * 2048-channel features (a 1x1 conv, three 3x3 convs at rates 6, 12, 18 for output stride 16 and 12, 24, 36
     * for 8, and image pooling; each 256 channels + batch norm + ReLU), concatenated, projected by a 1x1 conv +
     * batch norm + ReLU to 256, then the classifier and a {@link #DEEPLAB_EMBEDDING_DIM}-dim embedding. At output
     * stride 4 the projection goes through DeepLab v3+'s {@linkplain #decoder decoder} (two 3x3 convs of 256) with
     * ResNet stage 2 first.
     *
     * @param backboneStride 8 or 16, the ResNet's
     * @param outputStride   the score grid's: the backbone's, or 4
     */
    public static ComputationGraph deeplab(int numClasses, int backboneStride, int outputStride, long seed,
                                           TrainingHyper hyper) {
        return deeplab("resnet50", numClasses, backboneStride, outputStride, seed, hyper);
    }

    /** DeepLab on the ResNet {@code backbone} of {@link ClassifierNets#RESNETS}; see the method above. */
    public static ComputationGraph deeplab(String backbone, int numClasses, int backboneStride, int outputStride,
                                           long seed, TrainingHyper hyper) {
        ClassifierNets.requireStride("deeplab backbone", backboneStride, 8, 16);
        if (outputStride != 4 && outputStride != backboneStride) {
            throw new IllegalArgumentException("deeplab output stride must be 4 or the backbone's " + backboneStride
                    + ", got " + outputStride);
        }
        GraphBuilder g = headBuilder(ClassifierNets.resnet(backbone, numClasses, backboneStride, seed, hyper), seed,
                hyper);
        IUpdater head = hyper.headUpdater();
        int base = backboneStride == 8 ? 12 : 6;
        String[] branches = {"aspp-1x1", "aspp-rate" + base, "aspp-rate" + 2 * base, "aspp-rate" + 3 * base,
                "aspp-pool"};
        convBnRelu(g, branches[0], 1, 1, ClassifierNets.FEATURES, head);
        for (int r = 1; r <= 3; r++) {
            convBnRelu(g, branches[r], 3, r * base, ClassifierNets.FEATURES, head);
        }
        g.addLayer("aspp-image-mean", new ImagePoolingLayer(), ClassifierNets.FEATURES);
        convBnRelu(g, branches[4], 1, 1, "aspp-image-mean", head);
        g.addVertex("aspp-concat", new MergeVertex(), branches);
        convBnRelu(g, "aspp-project", 1, 1, "aspp-concat", head);
        String features = outputStride == 4
                ? decoder(g, "aspp-project", backboneStride, ClassifierNets.resnetLevels(backbone).get(0), ASPP_CHANNELS, 2,
                hyper)
                : "aspp-project";
        return finish(g, features, numClasses, DEEPLAB_EMBEDDING_DIM, hyper);
    }

    /** K = numClasses + 1, the classes scored (background included). */
    public static int numScoredClasses(ComputationGraph net) {
        requireSegNet(net);
        return (int) ((ConvolutionLayer) net.getLayer(LOGITS).conf().getLayer()).getNOut();
    }

    /**
     * The net's live triplet loss (PDML defaults when built): change margin, alpha, beta through its setters before
     * training or saving; the values travel in the model's JSON and in the configuration Spark ships to executors.
     */
    public static PointTripletLoss tripletLoss(ComputationGraph net) {
        requireSegNet(net);
        return (PointTripletLoss) ((LossLayer) net.getLayer(EMB_LOSS).conf().getLayer()).getLossFn();
    }

    public static int embeddingDim(ComputationGraph net) {
        requireSegNet(net);
        return (int) ((ConvolutionLayer) net.getLayer(EMBEDDING).conf().getLayer()).getNOut();
    }

    /** Stride of the score grid: the backbone's, or 4 with a decoder. */
    public static int outputStride(ComputationGraph net) {
        requireSegNet(net);
        // the decoder's concatenation lists the stride-4 level first, so the main path runs through it
        return ClassifierNets.strideTo(net.getConfiguration(), LOGITS);
    }

    /**
     * Images must have sides that are multiples of this: the backbone's output stride, so a decoder's upsampled
     * deep features line up with its stride-4 level ({@link SegPredictor} pads to it).
     */
    public static int inputMultiple(ComputationGraph net) {
        requireSegNet(net);
        return ClassifierNets.outputStride(net);
    }

    /** Rows or columns of the score grid for an input of {@code size} pixels: every strided layer pads ("Same"). */
    public static int gridSize(int size, int outputStride) {
        if (size < 1 || outputStride < 1) {
            throw new IllegalArgumentException("size and stride must be >= 1, got " + size + " and " + outputStride);
        }
        return (size + outputStride - 1) / outputStride;
    }

    /** The backbone's configuration minus the classifier head, ready for head layers at the head learning rate. */
    private static GraphBuilder headBuilder(ComputationGraph backbone, long seed, TrainingHyper hyper) {
        ComputationGraphConfiguration conf = backbone.getConfiguration().clone();
        GraphBuilder g = ClassifierNets.extend(conf, seed, hyper);
        g.removeVertex(ClassifierNets.SCORES, true);
        g.removeVertex(ClassifierNets.POOL, true);
        return g;
    }

    /**
     * DeepLab v3+'s decoder: the stride-4 level reduced by a 1x1 conv to {@link #DECODER_SKIP_CHANNELS} (+ batch norm
     * + ReLU), the deep features upsampled bilinearly to stride 4 ({@link BilinearUpsample}), concatenated (stride-4
     * level first) and refined by {@code convs} 3x3 convs of {@code width} (+ batch norm + ReLU). The skip lets the
     * scores follow object boundaries and thin parts that a stride-8 or 16 grid cannot hold.
     *
     * @return the name of the decoder's last layer
     */
    private static String decoder(GraphBuilder g, String deep, int deepStride, String stride4Level, int width,
                                  int convs, TrainingHyper hyper) {
        IUpdater head = hyper.headUpdater();
        convBnRelu(g, "decoder-skip", 1, 1, DECODER_SKIP_CHANNELS, stride4Level, head);
        g.addLayer("decoder-up", new BilinearUpsample(deepStride / 4), deep)
                .addVertex("decoder-concat", new MergeVertex(), "decoder-skip", "decoder-up");
        String in = "decoder-concat";
        for (int i = 1; i <= convs; i++) {
            convBnRelu(g, "decoder-conv" + i, 3, 1, width, in, head);
            in = "decoder-conv" + i;
        }
        return in;
    }

    private static void convBnRelu(GraphBuilder g, String name, int kernel, int dilation, String input,
                                   IUpdater updater) {
        convBnRelu(g, name, kernel, dilation, ASPP_CHANNELS, input, updater);
    }

    private static void convBnRelu(GraphBuilder g, String name, int kernel, int dilation, int channels, String input,
                                   IUpdater updater) {
        g.addLayer(name + "-conv", Convs.builder(kernel, kernel).nOut(channels)
                        .dilation(dilation, dilation).hasBias(false).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.RELU).updater(updater).build(), input)
                .addLayer(name + "-bn", new BatchNormalization.Builder().useLogStd(false).updater(updater).build(),
                        name + "-conv")
                .addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "-bn");
    }

    private static ComputationGraph finish(GraphBuilder g, String classifierInput, int numClasses, int embeddingDim,
                                           TrainingHyper hyper) {
        IUpdater head = hyper.headUpdater();
        g.addLayer(LOGITS, Convs.builder(1, 1).nOut(numClasses + 1).activation(Activation.IDENTITY)
                        .updater(head).build(), classifierInput)
                .addLayer(EMBEDDING, Convs.builder(1, 1).nOut(embeddingDim)
                        .activation(Activation.IDENTITY).updater(head).build(), classifierInput)
                .addLayer(LOGITS + "-flat", new FlattenMapsLayer(), LOGITS)
                .addLayer(EMBEDDING + "-flat", new FlattenMapsLayer(), EMBEDDING)
                .addLayer(SEG_LOSS, new LossLayer.Builder(new PixelCrossEntropy()).activation(Activation.IDENTITY)
                        .build(), LOGITS + "-flat")
                .addLayer(EMB_LOSS, new LossLayer.Builder(new PointTripletLoss()).activation(Activation.IDENTITY)
                        .build(), EMBEDDING + "-flat")
                .setOutputs(SEG_LOSS, EMB_LOSS)
                .setInputTypes(InputType.convolutional(NOMINAL_SIZE, NOMINAL_SIZE, 3));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    private static void requireSegNet(ComputationGraph net) {
        for (String name : new String[]{LOGITS, EMBEDDING, SEG_LOSS, EMB_LOSS}) {
            if (!net.getConfiguration().getVertices().containsKey(name)) {
                throw new IllegalArgumentException("network has no vertex named \"" + name
                        + "\"; it was not built by SegNets");
            }
        }
    }
}
