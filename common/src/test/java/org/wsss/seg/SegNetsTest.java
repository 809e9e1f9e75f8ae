package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.TrainingHyper;

class SegNetsTest {

    private static final TrainingHyper HYPER = new TrainingHyper("adam", 2e-3, 0.9, 1e-4, 10.0);

    @Test
    void smallNetScoresEveryClassAndEmbedsAtStrideEight() {
        ComputationGraph net = SegNets.small(3, 1, HYPER);
        assertEquals(4, SegNets.numScoredClasses(net));
        assertEquals(SegNets.SMALL_EMBEDDING_DIM, SegNets.embeddingDim(net));
        assertEquals(8, SegNets.outputStride(net));
        // 44 x 60 is not a multiple of 8: the grid is ceil(44/8) x ceil(60/8) = 6 x 8
        INDArray[] out = net.output(Nd4j.rand(DataType.FLOAT, 2, 3, 44, 60));
        assertArrayEquals(new long[]{2, 4L * 6 * 8}, out[0].shape());
        assertArrayEquals(new long[]{2, 32L * 6 * 8}, out[1].shape());
    }

    @Test
    void smallNetWithDecoderScoresAtStrideFourAndTrainsTheDecoderAtTheHeadRate() {
        ComputationGraph net = SegNets.small(3, 4, 1, HYPER);
        assertEquals(4, SegNets.outputStride(net));
        assertEquals(8, SegNets.inputMultiple(net));
        // 40 x 56: the stride-4 level is 10 x 14, the stride-8 features 5 x 7 upsampled twice
        INDArray[] out = net.output(Nd4j.rand(DataType.FLOAT, 2, 3, 40, 56));
        assertArrayEquals(new long[]{2, 4L * 10 * 14}, out[0].shape());
        assertArrayEquals(new long[]{2, 32L * 10 * 14}, out[1].shape());
        assertEquals(Set.of(SegNets.LOGITS, SegNets.EMBEDDING, "decoder-skip-conv", "decoder-skip-bn",
                "decoder-conv1-conv", "decoder-conv1-bn"), ClassifierNets.headLayers(net));
        assertEquals(2e-2, ((BaseLayer) net.getLayer("decoder-conv1-conv").conf().getLayer()).getIUpdater()
                .getLearningRate(0, 0), 1e-12);
        assertEquals(2e-3, ((BaseLayer) net.getLayer("conv3").conf().getLayer()).getIUpdater()
                .getLearningRate(0, 0), 1e-12);
    }

    @Test
    void headLayersTrainAtTheHeadRate() {
        ComputationGraph net = SegNets.small(2, 1, HYPER);
        Set<String> head = ClassifierNets.headLayers(net);
        assertEquals(Set.of(SegNets.LOGITS, SegNets.EMBEDDING), head);
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.numParams() > 0 && layer.conf().getLayer() instanceof BaseLayer base) {
                double lr = base.getIUpdater().getLearningRate(0, 0);
                double expected = head.contains(base.getLayerName()) ? 2e-2 : 2e-3;
                assertEquals(expected, lr, 1e-12, base.getLayerName());
            }
        }
        // poly decay through ClassifierNets keeps the ratio on these nets
        ClassifierNets.setBaseLearningRate(net, 1e-4);
        assertEquals(1e-3, ((BaseLayer) net.getLayer(SegNets.EMBEDDING).conf().getLayer()).getIUpdater()
                .getLearningRate(0, 0), 1e-12);
        assertEquals(1e-4, ((BaseLayer) net.getLayer("conv1").conf().getLayer()).getIUpdater()
                .getLearningRate(0, 0), 1e-12);
    }

    /** Images of a bright square (class 1) on a dark background (class 0), and their grid labels. */
    private static MultiDataSet squares(int count, int side, int stride) {
        float[] pixels = new float[count * 3 * side * side];
        float[][] labels = new float[count][];
        java.util.Random random = new java.util.Random(5);
        for (int n = 0; n < count; n++) {
            int x0 = random.nextInt(side / 2);
            int y0 = random.nextInt(side / 2);
            byte[] map = new byte[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean inside = x >= x0 && x < x0 + side / 2 && y >= y0 && y < y0 + side / 2;
                    map[y * side + x] = (byte) (inside ? 1 : 0);
                    for (int c = 0; c < 3; c++) {
                        pixels[((n * 3 + c) * side + y) * side + x] = inside ? 1.5f - c * 0.3f : -1f + c * 0.2f;
                    }
                }
            }
            labels[n] = SegTargets.toGrid(map, side, side, stride);
        }
        return SegTargets.batch(Nd4j.createFromArray(pixels).reshape(count, 3, side, side), stride, labels, null);
    }

    @Test
    void smallNetLearnsTwoRegionImagesWithPixelCrossEntropy() {
        ComputationGraph net = SegNets.small(1, 3, new TrainingHyper("adam", 3e-3, 0.9, 0, 1.0));
        MultiDataSet data = squares(4, 32, 8);
        double initial = net.score(data);
        for (int step = 0; step < 6; step++) {
            net.fit(data);
        }
        double trained = net.score(data);
        // an untrained two-class scorer sits near ln 2; a quarter of that means the regions are told apart
        assertTrue(initial > 0.3 && trained < 0.25 * initial, "pixel cross-entropy " + initial + " -> " + trained);
    }

    @Test
    void modelZipRestoresCustomLayersLossSettingsAndOutputs(@TempDir Path dir) throws Exception {
        ComputationGraph net = SegNets.small(2, 4, HYPER);
        SegNets.tripletLoss(net).setMargin(7.5);
        SegNets.tripletLoss(net).setAlpha(0.3);
        File zip = dir.resolve("seg.zip").toFile();
        ModelSerializer.writeModel(net, zip, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(zip, true);
        LossLayer restoredTriplet = (LossLayer) restored.getLayer(SegNets.EMB_LOSS).conf().getLayer();
        assertEquals(new PointTripletLoss(7.5, 0.3, 1), restoredTriplet.getLossFn());
        assertTrue(((LossLayer) restored.getLayer(SegNets.SEG_LOSS).conf().getLayer()).getLossFn()
                instanceof PixelCrossEntropy);
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 40, 24);
        INDArray[] before = net.output(image);
        INDArray[] after = restored.output(image);
        assertEquals(before[0], after[0]);
        assertEquals(before[1], after[1]);
        // and the restored net still trains on both heads
        float[] cls = new float[5 * 3];
        float[] pts = new float[5 * 3];
        java.util.Arrays.fill(pts, 255);
        pts[0] = 1;
        pts[4] = 2;
        MultiDataSet data = SegTargets.batch(Nd4j.rand(DataType.FLOAT, 2, 3, 40, 24), 8,
                new float[][]{cls, cls}, new float[][]{pts, pts});
        restored.fit(data);
        assertTrue(Double.isFinite(restored.score()) && restored.score() > 0);
    }
}
