package org.wsss.segsort;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.seg.LossRows;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegTargets;
import org.wsss.seg.TrainingMethod;

/**
 * {@code train.method = segsort}: the embedding output learns by the segment sorting loss; the class scores get no
 * labels (their loss is zero), so only the backbone and the embedding learn, as in SegSort. Such a net predicts by
 * retrieval (make-prototypes, predict.method = knn), not by its class scores. What the loss learns from:
 * <ul>
 *   <li>dense class labels (pseudo-labels or masks);</li>
 *   <li>{@code fromPoints}: the clicks, which label the clusters they fall in;</li>
 *   <li>{@code regions} set (train.supervision = unsupervised): no labels at all. Each example's own image is cut
 *   into SLIC superpixels ({@link Superpixels}) and the cells of the score grid take their superpixel's number
 *   (majority of the cell's pixels); the loss then pulls each cell towards its own region's segments and away from
 *   all others (SegSort's unsupervised mode).</li>
 * </ul>
 */
public record SegSortMethod(double concentration, PixelSorting.Params sorting, int memoryBanks, boolean fromPoints,
                            Superpixels.Params regions) implements TrainingMethod {

    public static final String NAME = "segsort";

    public SegSortMethod(double concentration, PixelSorting.Params sorting, int memoryBanks, boolean fromPoints) {
        this(concentration, sorting, memoryBanks, fromPoints, null);
    }

    public SegSortMethod {
        if (fromPoints && regions != null) {
            throw new IllegalStateException("SegSort learns from points or from superpixels (unsupervised), not both");
        }
        loss(concentration, sorting, memoryBanks, fromPoints, regions); // validates
    }

    private static SegmentSortingLoss loss(double concentration, PixelSorting.Params sorting, int memoryBanks,
                                           boolean fromPoints, Superpixels.Params regions) {
        SegmentSortingLoss.Labels labels = regions != null ? SegmentSortingLoss.Labels.REGIONS
                : fromPoints ? SegmentSortingLoss.Labels.CLICKS : SegmentSortingLoss.Labels.CLASSES;
        return new SegmentSortingLoss(concentration, sorting, memoryBanks, 0, labels);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(ComputationGraph net) {
        SegSortNets.use(net, loss(concentration, sorting, memoryBanks, fromPoints, regions));
    }

    @Override
    public MultiDataSet labels(MultiDataSet example) {
        INDArray classes = example.getLabels(0);
        return SegSortNets.embeddingOnly(example, regions == null ? classes.dup()
                : regionLabels(example.getFeatures(0), classes, regions));
    }

    @Override
    public boolean scoresClasses() {
        return false;
    }

    @Override
    public boolean labelsFromImage() {
        return regions != null;
    }

    /** The worker's memory banks start empty for its share. */
    @Override
    public void startWorkerShare() {
        SegmentSortingLoss.startWorkerShare();
    }

    /**
     * Per image of {@code images} [N, C, H, W], its superpixels on the score grid of {@code valid} [N, cells]: a
     * cell takes the superpixel most of its pixels belong to (a tie leaves it out, as {@link SegTargets#toGrid}
     * votes); cells that {@code valid} ignores (padding) stay ignored.
     */
    static INDArray regionLabels(INDArray images, INDArray valid, Superpixels.Params params) {
        int n = (int) images.size(0);
        int channels = (int) images.size(1);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        int cells = (int) valid.size(1);
        int stride = strideOf(h, w, cells);
        float[] pixels = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] keep = valid.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[n * cells];
        for (int i = 0; i < n; i++) {
            int[] region = Superpixels.slic(pixels, i * channels * h * w, channels, h, w, params);
            byte[] asBytes = new byte[region.length];
            for (int p = 0; p < region.length; p++) {
                asBytes[p] = (byte) region[p];
            }
            float[] grid = SegTargets.toGrid(asBytes, w, h, stride);
            for (int c = 0; c < cells; c++) {
                out[i * cells + c] = keep[i * cells + c] == LossRows.IGNORE ? LossRows.IGNORE : grid[c];
            }
        }
        return Nd4j.createFromArray(out).reshape(n, cells).castTo(valid.dataType());
    }

    private static int strideOf(int h, int w, int cells) {
        for (int s = 1; s <= Math.max(h, w); s++) {
            if (SegNets.gridSize(h, s) * SegNets.gridSize(w, s) == cells) {
                return s;
            }
        }
        throw new IllegalArgumentException("segsort: no output stride maps a " + w + "x" + h + " input to " + cells
                + " label cells");
    }
}
