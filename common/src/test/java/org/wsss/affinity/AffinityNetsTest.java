package org.wsss.affinity;

import org.wsss.testing.DoublePrecision;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.wsss.nn.TrainingHyper;

class AffinityNetsTest {

    private static final byte IGNORE = (byte) 255;

    @Test
    void labelCodesFollowThePairRules() {
        int h = 4;
        int w = 5;
        byte[] labels = {
                0, 0, 1, 1, IGNORE,
                0, 0, 1, 2, 2,
                0, IGNORE, 1, 2, 2,
                0, 0, 0, 0, 2};
        float[] codes = AffinityNets.labelsFor(labels, h, w, 3);
        DiscOffsets offsets = DiscOffsets.forwardHalf(3);
        assertEquals(offsets.size() * h * w, codes.length);
        int[] seen = new int[4];
        for (int p = 0; p < offsets.size(); p++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int ty = y + offsets.dy()[p];
                    int tx = x + offsets.dx()[p];
                    int expected;
                    if (ty >= h || tx < 0 || tx >= w || labels[y * w + x] == IGNORE || labels[ty * w + tx] == IGNORE) {
                        expected = -1;
                    } else if (labels[y * w + x] != labels[ty * w + tx]) {
                        expected = 0;
                    } else {
                        expected = labels[y * w + x] == 0 ? 1 : 2;
                    }
                    assertEquals(expected, codes[(p * h + y) * w + x], "offset " + p + " cell " + y + "," + x);
                    seen[expected + 1]++;
                }
            }
        }
        for (int count : seen) {
            assertTrue(count > 0, "every code occurs in this map");
        }
    }

    /** Tiny double-precision backbone: taps at stride 1, 2, 2, and a classifier head that build must drop. */
    private static ComputationGraph tinyBackbone(DataType type, int width) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(4).dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(6, 6, 3))
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.TANH).build(),
                        "image")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(width).activation(Activation.TANH)
                        .build(), "c1")
                .addLayer("c3", new ConvolutionLayer.Builder(1, 1).nOut(width).activation(Activation.TANH).build(), "c2")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c3")
                .addLayer("scores", new OutputLayer.Builder().lossFunction(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT).nOut(2).activation(Activation.SIGMOID).build(), "pool")
                .setOutputs("scores").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void gradientOfTheWholeAffinityNetMatchesFiniteDifferences() {
        ComputationGraph net = AffinityNets.build(tinyBackbone(DataType.DOUBLE, 2), List.of("c1", "c2", "c3"),
                new int[]{2, 1, 2}, 2, 2, 5, new TrainingHyper("sgd", 0.1, 0.0, 0.0, 1.0));
        assertFalse(net.getConfiguration().getVertices().containsKey("scores"));
        assertTrue(net.getConfiguration().getVertices().containsKey("aff-pool1"), "stride-1 tap pooled to 2");
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base) {
                base.setIUpdater(new NoOp());
                base.setRegularization(List.<Regularization>of());
            }
        }
        int pairs = 4 * 3 * 3;
        Random random = new Random(2);
        double[] labels = new double[2 * pairs];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(4) - 1;
        }
        INDArray images = Nd4j.rand(DataType.DOUBLE, 2, 3, 6, 6).subi(0.5).muli(4);
        assertTrue(DoublePrecision.call(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[]{images})
                .labels(new INDArray[]{Nd4j.createFromArray(labels).reshape(2, pairs)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(3))));
    }

    @Test
    void gradientThroughBilinearlyUpsampledTapsMatchesFiniteDifferences() {
        // output stride 1: c1 stays, c2 and c3 (stride 2) are upsampled x2 to the 4x4 grid
        ComputationGraph net = AffinityNets.build(tinyBackbone(DataType.DOUBLE, 2), List.of("c1", "c2", "c3"),
                new int[]{2, 1, 2}, 2, 1, 2, 5, new TrainingHyper("sgd", 0.1, 0.0, 0.0, 1.0));
        assertTrue(net.getConfiguration().getVertices().containsKey("aff-up2"));
        assertTrue(net.getConfiguration().getVertices().containsKey("aff-up3"));
        assertFalse(net.getConfiguration().getVertices().containsKey("aff-pool1"));
        assertEquals(2, AffinityNets.inputSizeMultiple(net));
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base) {
                base.setIUpdater(new NoOp());
                base.setRegularization(List.<Regularization>of());
            }
        }
        int pairs = 4 * 4 * 4;
        Random random = new Random(3);
        double[] labels = new double[2 * pairs];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(4) - 1;
        }
        INDArray images = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 4).subi(0.5).muli(4);
        assertTrue(DoublePrecision.call(() -> GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[]{images})
                .labels(new INDArray[]{Nd4j.createFromArray(labels).reshape(2, pairs)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(2))));
    }

    @Test
    void smallNetAtOutputStrideFourDoublesTheGridAndTakesTheStrideFourLevel() {
        ComputationGraph net = AffinityNets.small(4, 5, 3, TrainingHyper.smallNetDefaults());
        // relu3 sits after two stride-2 convs: stride 4; relu5, relu6 and the features after three: stride 8
        assertEquals(List.of("relu3"), net.getConfiguration().getVertexInputs().get("aff-reduce1"));
        assertTrue(net.getConfiguration().getVertices().containsKey("aff-up2"));
        assertEquals(8, AffinityNets.inputSizeMultiple(net));
        // 96 px / 4 = 24 cells; 64 x 48 px / 4 = 16 x 12 cells
        AffinityNets.FeatureMap demo = AffinityNets.features(net, Nd4j.rand(DataType.FLOAT, 1, 3, 96, 96));
        assertEquals(112, demo.depth());
        assertEquals(24, demo.height());
        assertEquals(24, demo.width());
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 64, 48).subi(0.5f);
        AffinityNets.FeatureMap features = AffinityNets.features(net, image);
        assertEquals(16, features.height());
        assertEquals(12, features.width());
        AffinityField field = RandomWalk.affinitiesFromFeatures(features.values(), features.depth(),
                features.height(), features.width(), 5);
        int cells = 16 * 12;
        float[] predicted = net.outputSingle(image).reshape(34L * cells).toFloatVector();
        for (int p = 0; p < 34; p++) {
            for (int i = 0; i < cells; i++) {
                assertEquals(field.planes()[p][i], predicted[p * cells + i], 1e-5, "offset " + p + " cell " + i);
            }
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AffinityNets.features(net, Nd4j.rand(DataType.FLOAT, 1, 3, 100, 100)));
        assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
    }

    @Test
    void outputStrideOutsideTheSupportedSetIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AffinityNets.small(2, 5, 1, TrainingHyper.smallNetDefaults()));
        assertTrue(e.getMessage().contains("got 2"), e.getMessage());
    }

    /** Two images of two flat regions (split left/right, top/bottom) and their label maps at the given stride. */
    private static DataSet twoRegionPair(int side, int stride, int radius) {
        int grid = side / stride;
        float[] pixels = new float[2 * 3 * side * side];
        byte[][] labelMaps = new byte[2][grid * grid];
        float[][] colours = {{1.2f, -0.8f, -0.5f}, {-0.9f, 0.4f, 1.3f}};
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int region = (n == 0 ? x : y) < side / 2 ? 0 : 1;
                    for (int c = 0; c < 3; c++) {
                        pixels[((n * 3 + c) * side + y) * side + x] = colours[region][c];
                    }
                    labelMaps[n][(y / stride) * grid + x / stride] = (byte) region;
                }
            }
        }
        float[] first = AffinityNets.labelsFor(labelMaps[0], grid, grid, radius);
        float[] second = AffinityNets.labelsFor(labelMaps[1], grid, grid, radius);
        float[] codes = new float[first.length * 2];
        System.arraycopy(first, 0, codes, 0, first.length);
        System.arraycopy(second, 0, codes, first.length, second.length);
        return new DataSet(Nd4j.createFromArray(pixels).reshape(2, 3, side, side),
                Nd4j.createFromArray(codes).reshape(2, first.length));
    }

    /** Mean predicted affinity over the pairs labelled positive (index 0) and negative (index 1). */
    private static double[] meanAffinity(ComputationGraph net, DataSet data) {
        double[] a = net.outputSingle(data.getFeatures()).reshape(data.getLabels().length()).toDoubleVector();
        double[] codes = data.getLabels().reshape(data.getLabels().length()).toDoubleVector();
        double[] sum = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < a.length; i++) {
            if (codes[i] >= 0) {
                int k = codes[i] == AffinityLoss.NEGATIVE ? 1 : 0;
                sum[k] += a[i];
                count[k]++;
            }
        }
        return new double[]{sum[0] / count[0], sum[1] / count[1]};
    }

    @Test
    void sgdStepsOnTwoFlatRegionsRaiseWithinAndLowerAcrossRegionAffinity() {
        ComputationGraph net = AffinityNets.build(tinyBackbone(DataType.FLOAT, 8), List.of("c1", "c2", "c3"),
                new int[]{8, 8, 8}, 8, 3, 6, new TrainingHyper("sgd", 0.05, 0.9, 0, 1));
        DataSet data = twoRegionPair(16, 2, 3);
        double[] before = meanAffinity(net, data);
        for (int step = 0; step < 20; step++) {
            net.fit(data);
        }
        double[] after = meanAffinity(net, data);
        assertTrue(after[0] > before[0], "within-region affinity " + before[0] + " -> " + after[0]);
        assertTrue(after[1] < before[1], "across-region affinity " + before[1] + " -> " + after[1]);
    }

    @Test
    void smallNetTrainsEndToEndOn64PixelImages() {
        ComputationGraph net = AffinityNets.small(3);
        DataSet data = twoRegionPair(64, 8, 5);
        INDArray initial = net.params().dup();
        assertArrayEquals(new long[]{2, 34L * 8 * 8}, net.outputSingle(data.getFeatures()).shape());
        net.fit(data);
        double first = net.score();
        net.fit(data);
        assertTrue(Double.isFinite(first) && Double.isFinite(net.score()) && first > 0,
                "scores " + first + ", " + net.score());
        assertTrue(net.params().sub(initial).norm2Number().doubleValue() > 0);
    }

    @Test
    void featuresFreeTheirActivationsButNotTheCallersImage() {
        ComputationGraph net = AffinityNets.small(4, 5, 3, TrainingHyper.smallNetDefaults());
        INDArray image = Nd4j.rand(DataType.FLOAT, 3, 32, 40).subi(0.5f);
        float[] pixels = image.dup().reshape(image.length()).toFloatVector();
        float[] first = AffinityNets.features(net, image).values();
        // the activations are closed after each call; a closed buffer reused or a closed input would show here
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first, AffinityNets.features(net, image).values());
        }
        assertArrayEquals(pixels, image.reshape(image.length()).toFloatVector());
        float[] direct = net.feedForward(new INDArray[]{image.reshape(1, 3, 32, 40)}, false).get(AffinityNets.FEATURES)
                .dup('c').reshape(first.length).toFloatVector();
        assertArrayEquals(direct, first);
    }

    @Test
    void featuresGiveTheNetsOwnAffinitiesThroughTheRandomWalkKernel() {
        ComputationGraph net = AffinityNets.small(17);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 64, 48).subi(0.5f);
        AffinityNets.FeatureMap features = AffinityNets.features(net, image);
        assertEquals(112, features.depth());
        assertEquals(8, features.height());
        assertEquals(6, features.width());
        AffinityField field = RandomWalk.affinitiesFromFeatures(features.values(), features.depth(),
                features.height(), features.width(), 5);
        float[] predicted = net.outputSingle(image).reshape(34L * 8 * 6).toFloatVector();
        int cells = 8 * 6;
        for (int p = 0; p < 34; p++) {
            for (int i = 0; i < cells; i++) {
                assertEquals(field.planes()[p][i], predicted[p * cells + i], 1e-5, "offset " + p + " cell " + i);
            }
        }
    }

    @Test
    void savedModelRestoresLayerLossAndOutputs(@TempDir Path dir) throws Exception {
        ComputationGraph net = AffinityNets.small(4, 9, new TrainingHyper("adam", 1e-3, 0.9, 1e-4, 10));
        File file = dir.resolve("affinitynet.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        AffinityLayer layer = (AffinityLayer) restored.getLayer(AffinityNets.AFFINITY).conf().getLayer();
        assertEquals(4, layer.getRadius());
        assertTrue(((LossLayer) restored.getLayer(AffinityNets.LOSS).conf().getLayer()).getLossFn()
                instanceof AffinityLoss);
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 3, 40, 40);
        assertEquals(net.outputSingle(image), restored.outputSingle(image));
        assertArrayEquals(AffinityNets.features(net, image.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)))
                .values(), AffinityNets.features(restored, image.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1))).values());

        // non-default loss settings survive the JSON round trip too
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("f").setInputTypes(InputType.convolutional(3, 3, 2))
                .addLayer("a", new AffinityLayer(3), "f")
                .addLayer("l", new LossLayer.Builder(new AffinityLoss(0.3, 0.2, 0.5, 1e-4))
                        .activation(Activation.IDENTITY).build(), "a")
                .setOutputs("l").build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        LossLayer loss = (LossLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("l"))
                .getLayerConf().getLayer();
        assertEquals(new AffinityLoss(0.3, 0.2, 0.5, 1e-4), loss.getLossFn());
        assertEquals(0.3, ((AffinityLoss) loss.getLossFn()).getBgWeight());
    }

    @Test
    void resnet50HeadPoolsTheStrideEightStageAtOutputStride16() {
        ComputationGraph net = AffinityNets.resnet50(16, 1);
        assertTrue(net.getConfiguration().getVertices().containsKey("aff-pool1"));
        assertFalse(net.getConfiguration().getVertices().containsKey("aff-pool2"));
        AffinityNets.FeatureMap features = AffinityNets.features(net, Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64));
        assertEquals(448, features.depth());
        assertEquals(4, features.height());
        assertEquals(4, features.width());
    }
}
