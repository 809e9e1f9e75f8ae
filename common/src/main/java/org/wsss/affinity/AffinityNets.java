package org.wsss.affinity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.nn.BilinearUpsample;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.Convs;
import org.wsss.nn.OffHeap;
import org.wsss.nn.TrainingHyper;

/**
 * AffinityNet (psa) on the classifier backbones of {@link ClassifierNets}: backbone levels, each reduced by a
 * 1x1 conv + ELU and brought to the output stride (finer levels average-pooled, coarser ones upsampled
 * bilinearly, {@link BilinearUpsample}), concatenated, one more 1x1 conv + ELU ({@link #FEATURES}, what the
 * random walk uses), then {@link AffinityLayer} and a {@code LossLayer} with {@link AffinityLoss} ({@link #LOSS}).
 * At output stride 8 the levels are psa's last three; at output stride 4 the backbone's stride-4 level is added
 * in front of them (irn's boundary and displacement nets also predict at stride 4), which doubles the walk's
 * grid. One input, one output: trains from a plain {@code DataSet(images [N, 3, H, W], labels [N, P*h*w])}
 * with labels from {@link #labelsFor}.
 *
 * <p>Backbone layers keep their names (so {@code PretrainedInit.copyMatching} can load a trained classifier or
 * ImageNet weights into them) and their learning rate; the new head layers get the rate times the hyper's head
 * multiplier, as in psa.
 */
public final class AffinityNets {

    public static final String INPUT = ClassifierNets.INPUT;
    public static final String FEATURES = "aff-features";
    public static final String AFFINITY = "affinity";
    public static final String LOSS = "aff-loss";

    /** The small net's last three levels: all at stride 8, 96, 96 and 128 channels. */
    public static final List<String> SMALL_TAPS = List.of("relu5", "relu6", ClassifierNets.FEATURES);

    /** The small net's stride-4 level (48 channels), added in front of {@link #SMALL_TAPS} at output stride 4. */
    public static final String SMALL_STRIDE4_TAP = ClassifierNets.SMALL_STRIDE4_LEVEL;

    private static final int[] SMALL_REDUCE = {32, 64, 128};
    private static final int SMALL_STRIDE4_REDUCE = 32;
    private static final int RESNET50_STRIDE4_REDUCE = 64;
    private static final int SMALL_FEATURES = 112;
    /** psa's paper widths (128, 256, 512); its code's final conv has 448 channels. */
    private static final int[] RESNET50_REDUCE = {128, 256, 512};
    private static final int RESNET50_FEATURES = 448;
    /** Input size given to DL4J's shape inference only; the nets take any size at run time. */
    private static final int NOMINAL_SIZE = 128;
    private static final int IMAGE_CHANNELS = 3;
    private static final String UPSAMPLE_PREFIX = "aff-up";

    /** FEATURES activations of one image, row-major (depth, height, width), as {@link RandomWalk} takes them. */
    public record FeatureMap(float[] values, int depth, int height, int width) {
    }

    private AffinityNets() {
    }

    public static ComputationGraph small(long seed) {
        return small(5, seed, TrainingHyper.smallNetDefaults());
    }

    /** The small net at its backbone's output stride 8. */
    public static ComputationGraph small(int radius, long seed, TrainingHyper hyper) {
        return small(8, radius, seed, hyper);
    }

    /** @param outputStride 4 or 8: the stride of {@link #FEATURES}, so the walk's grid is the input size over it */
    public static ComputationGraph small(int outputStride, int radius, long seed, TrainingHyper hyper) {
        ClassifierNets.requireStride("AffinityNet", outputStride, 4, 8);
        List<String> taps = outputStride == 4 ? prepend(SMALL_STRIDE4_TAP, SMALL_TAPS) : SMALL_TAPS;
        int[] reduce = outputStride == 4 ? prepend(SMALL_STRIDE4_REDUCE, SMALL_REDUCE) : SMALL_REDUCE;
        return build(ClassifierNets.smallDilated(1, seed, hyper), taps, reduce, SMALL_FEATURES, outputStride, radius,
                seed, hyper);
    }

    public static ComputationGraph resnet50(int outputStride, long seed) {
        return resnet50(outputStride, 5, seed, TrainingHyper.resnetDefaults());
    }

    /** torchvision-layout ResNet-50 AffinityNet at the backbone's own output stride (8 or 16). */
    public static ComputationGraph resnet50(int outputStride, int radius, long seed, TrainingHyper hyper) {
        return resnet50(outputStride, outputStride, radius, seed, hyper);
    }

    /**
     * @param backboneStride output stride of the dilated backbone (8 or 16)
     * @param outputStride   stride of {@link #FEATURES}: 4, 8 or 16
     */
    public static ComputationGraph resnet50(int backboneStride, int outputStride, int radius, long seed,
                                            TrainingHyper hyper) {
        return resnet("resnet50", backboneStride, outputStride, radius, seed, hyper);
    }

    /**
     * AffinityNet on a ResNet of {@link ClassifierNets#RESNETS}: taps on its last three stages (512, 1024, 2048
     * channels; the first is at stride 8 for either backbone stride), and at output stride 4 also on its first
     * stage (256 channels, stride 4).
     *
     * @param backboneStride output stride of the dilated backbone (8 or 16)
     * @param outputStride   stride of {@link #FEATURES}: 4, 8 or 16
     */
    public static ComputationGraph resnet(String network, int backboneStride, int outputStride, int radius, long seed,
                                          TrainingHyper hyper) {
        ClassifierNets.requireStride("AffinityNet", outputStride, 4, 8, 16);
        List<String> levels = ClassifierNets.resnetLevels(network);
        List<String> taps = outputStride == 4 ? levels : levels.subList(1, levels.size());
        int[] reduce = outputStride == 4 ? prepend(RESNET50_STRIDE4_REDUCE, RESNET50_REDUCE) : RESNET50_REDUCE;
        return build(ClassifierNets.resnet(network, 1, backboneStride, seed, hyper), taps, reduce, RESNET50_FEATURES,
                outputStride, radius, seed, hyper);
    }

    /**
     * The multiple of which an input side must be so that every tap's grid is exactly side / stride: the
     * coarsest tap stride when a tap is upsampled (an odd coarse grid would upsample past the fine one), else 1.
     */
    public static int inputSizeMultiple(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        int multiple = 1;
        for (String vertex : conf.getVertices().keySet()) {
            if (vertex.startsWith(UPSAMPLE_PREFIX)) {
                List<String> inputs = conf.getVertexInputs().get(vertex);
                multiple = Math.max(multiple, ClassifierNets.strideTo(conf, inputs.get(0)));
            }
        }
        return multiple;
    }

    /** AffinityNet with {@link #FEATURES} at the coarsest tap stride; finer taps are average-pooled to it. */
    public static ComputationGraph build(ComputationGraph backbone, List<String> taps, int[] reduce,
                                         int featureChannels, int radius, long seed, TrainingHyper hyper) {
        return build(backbone, taps, reduce, featureChannels, 0, radius, seed, hyper);
    }

    /**
     * AffinityNet on any backbone graph with one RGB image input [N, 3, H, W]: every vertex that no tap depends on (e.g. a classifier
     * head) is dropped. After its 1x1 reduction, a tap finer than the output stride is average-pooled down to it
     * and a coarser one is upsampled bilinearly to it.
     *
     * @param taps         vertex names of the backbone levels, each with NCHW output
     * @param reduce       output channels of each tap's 1x1 conv
     * @param outputStride stride of {@link #FEATURES}; 0 = the coarsest tap stride
     */
    public static ComputationGraph build(ComputationGraph backbone, List<String> taps, int[] reduce,
                                         int featureChannels, int outputStride, int radius, long seed,
                                         TrainingHyper hyper) {
        ComputationGraphConfiguration conf = backbone.getConfiguration().clone();
        if (taps.isEmpty() || taps.size() != reduce.length) {
            throw new IllegalArgumentException("need one reduction width per tap, got taps " + taps
                    + " and widths " + Arrays.toString(reduce));
        }
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("backbone must have one input, has " + conf.getNetworkInputs());
        }
        Set<String> keep = new HashSet<>();
        int[] strides = new int[taps.size()];
        for (int t = 0; t < taps.size(); t++) {
            requireVertex(conf, taps.get(t));
            keep.addAll(ClassifierNets.ancestorsOf(conf, taps.get(t)));
            strides[t] = ClassifierNets.strideTo(conf, taps.get(t));
        }
        int target = outputStride > 0 ? outputStride : Arrays.stream(strides).max().orElseThrow();
        GraphBuilder g = ClassifierNets.extend(conf, seed, hyper);
        for (String vertex : conf.getVertices().keySet()) {
            if (!keep.contains(vertex)) {
                g.removeVertex(vertex, true);
            }
        }
        String[] reduced = new String[taps.size()];
        for (int t = 0; t < taps.size(); t++) {
            if (target % strides[t] != 0 && strides[t] % target != 0) {
                throw new IllegalArgumentException("tap " + taps.get(t) + " has stride " + strides[t]
                        + ", which is neither a divisor nor a multiple of the output stride " + target);
            }
            reduced[t] = "aff-reduce" + (t + 1);
            g.addLayer(reduced[t], pointwise(reduce[t]), taps.get(t));
            if (strides[t] < target) {
                int factor = target / strides[t];
                String pooled = "aff-pool" + (t + 1);
                g.addLayer(pooled, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG)
                        .kernelSize(factor, factor).stride(factor, factor).build(), reduced[t]);
                reduced[t] = pooled;
            } else if (strides[t] > target) {
                String upsampled = UPSAMPLE_PREFIX + (t + 1);
                g.addLayer(upsampled, new BilinearUpsample(strides[t] / target), reduced[t]);
                reduced[t] = upsampled;
            }
        }
        g.addVertex("aff-concat", new MergeVertex(), reduced)
                .addLayer(FEATURES, pointwise(featureChannels), "aff-concat")
                .addLayer(AFFINITY, new AffinityLayer(radius), FEATURES)
                .addLayer(LOSS, new LossLayer.Builder(new AffinityLoss()).activation(Activation.IDENTITY).build(),
                        AFFINITY)
                .setOutputs(LOSS)
                .setInputTypes(InputType.convolutional(NOMINAL_SIZE, NOMINAL_SIZE, IMAGE_CHANNELS));
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /**
     * Loss targets of one image, (P, h, w) row-major as {@link AffinityLayer} orders its output: for each forward
     * offset and source cell, {@link AffinityLoss#BG_POSITIVE}, {@link AffinityLoss#FG_POSITIVE},
     * {@link AffinityLoss#NEGATIVE} or {@link AffinityLoss#DROPPED}.
     *
     * @param affinityLabels (h, w) row-major: 0 background, 1..C class, 255 ignored
     */
    public static float[] labelsFor(byte[] affinityLabels, int h, int w, int radius) {
        AffinityPairs pairs = AffinityPairs.fromLabels(affinityLabels, h, w, radius);
        int planes = pairs.offsets().size();
        int cells = h * w;
        float[] codes = new float[planes * cells];
        for (int p = 0; p < planes; p++) {
            byte[] plane = pairs.plane(p);
            for (int i = 0; i < cells; i++) {
                codes[p * cells + i] = plane[i] == AffinityPairs.DROPPED ? AffinityLoss.DROPPED
                        : switch (AffinityPairs.Category.values()[plane[i]]) {
                            case BG_POSITIVE -> AffinityLoss.BG_POSITIVE;
                            case FG_POSITIVE -> AffinityLoss.FG_POSITIVE;
                            case NEGATIVE -> AffinityLoss.NEGATIVE;
                        };
            }
        }
        return codes;
    }

    /**
     * {@link #FEATURES} of one image, running the graph only up to that vertex (so any image size works).
     *
     * @param image [1, C, H, W] or [C, H, W], normalised as for the backbone
     */
    public static FeatureMap features(ComputationGraph net, INDArray image) {
        INDArray batch = image.rank() == 3 ? image.reshape(1, image.size(0), image.size(1), image.size(2)) : image;
        if (batch.rank() != 4 || batch.size(0) != 1) {
            throw new IllegalArgumentException("features takes one image [1, C, H, W] or [C, H, W], got "
                    + Arrays.toString(image.shape()));
        }
        if (net.getConfiguration().getVertices().get(FEATURES) == null || net.getLayer(FEATURES) == null) {
            throw new IllegalArgumentException("network has no vertex named \"" + FEATURES
                    + "\"; it was not built by AffinityNets");
        }
        int multiple = inputSizeMultiple(net);
        if (batch.size(2) % multiple != 0 || batch.size(3) % multiple != 0) {
            throw new IllegalArgumentException("image " + batch.size(3) + "x" + batch.size(2) + " does not fit this "
                    + "AffinityNet: its upsampled levels need width and height multiples of " + multiple);
        }
        // feedForward stops at a position in getLayers(), not at a vertex index
        org.deeplearning4j.nn.api.Layer[] layers = net.getLayers();
        int index = 0;
        while (!FEATURES.equals(layers[index].conf().getLayer().getLayerName())) {
            index++;
        }
        INDArray input = batch.castTo(net.getConfiguration().getDataType());
        Map<String, INDArray> activations = net.feedForward(new INDArray[]{input}, index, false);
        INDArray f = activations.get(FEATURES);
        INDArray contiguous = f.dup('c');
        FeatureMap map = new FeatureMap(contiguous.reshape(f.length()).toFloatVector(), (int) f.size(1),
                (int) f.size(2), (int) f.size(3));
        contiguous.close();
        // feedForward detaches a copy of every layer's activations: freed now, not at the next collection
        OffHeap.close(activations.values(), image, batch, input);
        return map;
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return List.copyOf(out);
    }

    private static int[] prepend(int first, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static ConvolutionLayer pointwise(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("1x1 conv width must be >= 1, got " + channels);
        }
        return Convs.builder(1, 1).nOut(channels).activation(Activation.ELU).build();
    }

    private static void requireVertex(ComputationGraphConfiguration conf, String name) {
        if (!conf.getVertices().containsKey(name)) {
            throw new IllegalArgumentException("backbone has no vertex named \"" + name + "\"");
        }
    }
}
