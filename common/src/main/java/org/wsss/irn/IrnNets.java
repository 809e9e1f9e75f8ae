package org.wsss.irn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.affinity.AffinityLoss;
import org.wsss.nn.BilinearUpsample;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.Convs;
import org.wsss.nn.OffHeap;
import org.wsss.nn.TrainingHyper;
import org.wsss.seg.FlattenMapsLayer;

/**
 * IRNet's two branches (Ahn et al., CVPR 2019) on the classifier's frozen backbone levels: the net's inputs are the
 * levels' activations, computed by the trained classifier ({@link #levels}), so nothing flows back into it (irn
 * detaches them too). Both branches work at stride 4 ({@link #STRIDE}); every coarser level is upsampled bilinearly.
 * <ul>
 *   <li>class boundary: each level reduced to 32 channels by a 3x3 conv, concatenated, a 1x1 conv to one sigmoid map
 *   ({@link #BOUNDARY}); its pair affinities ({@link BoundaryAffinityLayer}) are trained by psa's class-balanced
 *   {@link AffinityLoss}, which is irn's (positive = background / 2 + foreground / 2, then (positive + negative) / 2);</li>
 *   <li>displacement field: each level 1x1-reduced (64 for the stride-4 level, 128, 256, ...), concatenated, a 1x1
 *   conv to 256 and one to the two planes (dy, dx) of {@link #DISPLACEMENT}, trained by {@link DisplacementLoss}.</li>
 * </ul>
 * Two departures from irn: its boundary branch reduces each level with a 1x1 conv, but the small net's stride-4
 * level is too shallow to see an edge without its neighbours (on the demo 1x1 gave pseudo-labels of 0.43 mIoU, 3x3
 * 0.63); and irn normalises every layer with group norm, which DL4J lacks, so these layers have none. Every layer trains at the
 * base learning rate (irn gives the displacement branch ten times the boundary branch's). Two outputs: the affinity
 * loss and the displacement loss, both labelled with the same pair codes ({@link org.wsss.affinity.AffinityNets#labelsFor}).
 */
public final class IrnNets {

    public static final int STRIDE = 4;
    public static final String BOUNDARY = "irn-boundary";
    public static final String DISPLACEMENT = "irn-displacement";
    public static final String AFFINITY_LOSS = "irn-affinity-loss";
    public static final String DISPLACEMENT_LOSS = "irn-displacement-loss";
    private static final int EDGE_CHANNELS = 32;
    private static final int[] DISPLACEMENT_CHANNELS = {64, 128, 256, 256, 256};
    private static final int DISPLACEMENT_FUSED = 256;

    /** A backbone level: its vertex in the classifier, channels and stride. */
    public record Level(String vertex, int channels, int stride) {
    }

    private IrnNets() {
    }

    /** The classifier levels IRNet reads: the stride-4 level and the three deeper ones. */
    public static List<String> taps(String network) {
        return ClassifierNets.RESNETS.contains(network) ? ClassifierNets.resnetLevels(network)
                : List.of(ClassifierNets.SMALL_STRIDE4_LEVEL, "relu5", "relu6", ClassifierNets.FEATURES);
    }

    /** Channels and strides of the taps, read off one forward pass of a {@code side} x {@code side} zero image. */
    public static List<Level> shapes(ComputationGraph classifier, List<String> taps, int side) {
        INDArray[] acts = levels(classifier, taps, Nd4j.zeros(classifier.getConfiguration().getDataType(), 1, 3, side,
                side));
        List<Level> out = new ArrayList<>();
        for (int t = 0; t < taps.size(); t++) {
            int stride = (int) (side / acts[t].size(2));
            if (stride < STRIDE || stride % STRIDE != 0 || acts[t].size(2) * stride != side) {
                throw new IllegalArgumentException("IRNet: level " + taps.get(t) + " has a " + acts[t].size(2)
                        + "-cell grid on a " + side + " px input: its stride must be a multiple of " + STRIDE);
            }
            out.add(new Level(taps.get(t), (int) acts[t].size(1), stride));
        }
        OffHeap.close(Arrays.asList(acts));
        return out;
    }

    /** The taps' activations for a batch [N, 3, H, W] (normalised as the classifier expects), in tap order. */
    public static INDArray[] levels(ComputationGraph classifier, List<String> taps, INDArray batch) {
        org.deeplearning4j.nn.api.Layer[] layers = classifier.getLayers();
        int last = 0;
        for (int i = 0; i < layers.length; i++) {
            if (taps.contains(layers[i].conf().getLayer().getLayerName())) {
                last = i;
            }
        }
        INDArray input = batch.castTo(classifier.getConfiguration().getDataType());
        Map<String, INDArray> acts = classifier.feedForward(new INDArray[]{input}, last, false);
        INDArray[] out = new INDArray[taps.size()];
        for (int t = 0; t < taps.size(); t++) {
            INDArray a = acts.get(taps.get(t));
            if (a == null) {
                throw new IllegalArgumentException("IRNet: the classifier has no level named \"" + taps.get(t) + "\"");
            }
            out[t] = a.dup();
        }
        List<String> inputs = classifier.getConfiguration().getNetworkInputs();
        acts.entrySet().removeIf(e -> inputs.contains(e.getKey()));
        OffHeap.close(acts.values());
        return out;
    }

    /**
     * The two branches over the given levels.
     *
     * @param radius   training radius of the boundary affinities and displacements (irn: 10)
     * @param mapWidth width of the stride-4 grid the displacement loss sees (0: square inputs)
     */
    public static ComputationGraph build(List<Level> levels, int radius, int mapWidth, long seed, TrainingHyper hyper) {
        if (levels.isEmpty() || levels.size() > DISPLACEMENT_CHANNELS.length) {
            throw new IllegalArgumentException("IRNet takes 1 to " + DISPLACEMENT_CHANNELS.length + " levels, got "
                    + levels.size());
        }
        int nominal = 16 * levels.stream().mapToInt(Level::stride).max().orElseThrow();
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(hyper.backboneUpdater())
                .weightInit(WeightInit.RELU)
                .weightDecay(hyper.weightDecay())
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder();
        InputType[] types = new InputType[levels.size()];
        String[] edges = new String[levels.size()];
        String[] disps = new String[levels.size()];
        for (int t = 0; t < levels.size(); t++) {
            Level l = levels.get(t);
            g.addInputs(l.vertex());
            types[t] = InputType.convolutional(nominal / l.stride(), nominal / l.stride(), l.channels());
            edges[t] = toStride4(g, "irn-edge" + (t + 1), Convs.builder(3, 3).nOut(EDGE_CHANNELS)
                    .activation(Activation.RELU).build(), l);
            disps[t] = toStride4(g, "irn-dp" + (t + 1), pointwise(DISPLACEMENT_CHANNELS[t], Activation.RELU), l);
        }
        g.addVertex("irn-edge-concat", new MergeVertex(), edges)
                .addLayer(BOUNDARY, pointwise(1, Activation.SIGMOID), "irn-edge-concat")
                .addLayer("irn-affinity", new BoundaryAffinityLayer(radius), BOUNDARY)
                .addLayer(AFFINITY_LOSS, new LossLayer.Builder(new AffinityLoss()).activation(Activation.IDENTITY)
                        .build(), "irn-affinity")
                .addVertex("irn-dp-concat", new MergeVertex(), disps)
                .addLayer("irn-dp-fuse", pointwise(DISPLACEMENT_FUSED, Activation.RELU), "irn-dp-concat")
                .addLayer(DISPLACEMENT, pointwise(2, Activation.IDENTITY), "irn-dp-fuse")
                .addLayer("irn-dp-flat", new FlattenMapsLayer(), DISPLACEMENT)
                .addLayer(DISPLACEMENT_LOSS, new LossLayer.Builder(new DisplacementLoss(radius, mapWidth))
                        .activation(Activation.IDENTITY).build(), "irn-dp-flat")
                .setOutputs(AFFINITY_LOSS, DISPLACEMENT_LOSS)
                .setInputTypes(types);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /** One level's 1x1 reduction, upsampled to stride 4 when coarser; the name of the result. */
    private static String toStride4(GraphBuilder g, String name, ConvolutionLayer reduce, Level l) {
        g.addLayer(name, reduce, l.vertex());
        if (l.stride() == STRIDE) {
            return name;
        }
        g.addLayer(name + "-up", new BilinearUpsample(l.stride() / STRIDE), name);
        return name + "-up";
    }

    private static ConvolutionLayer pointwise(int channels, Activation activation) {
        return Convs.builder(1, 1).nOut(channels).activation(activation).build();
    }

    /** Boundary map and displacement field of one image: (h, w) and (2, h, w) row-major, at stride 4. */
    public record Maps(float[] boundary, float[] displacement, int height, int width) {
    }

    /** The two maps of one image from its classifier levels (batch of one), without the loss layers. */
    public static Maps maps(ComputationGraph irn, INDArray[] levels) {
        Map<String, INDArray> acts = irn.feedForward(levels, false);
        INDArray b = acts.get(BOUNDARY);
        INDArray d = acts.get(DISPLACEMENT);
        Maps m = new Maps(b.dup('c').reshape(b.length()).toFloatVector(), d.dup('c').reshape(d.length()).toFloatVector(),
                (int) b.size(2), (int) b.size(3));
        // the map holds the inputs too: they are the caller's
        List<String> inputs = irn.getConfiguration().getNetworkInputs();
        acts.entrySet().removeIf(e -> inputs.contains(e.getKey()));
        OffHeap.close(acts.values());
        return m;
    }
}
