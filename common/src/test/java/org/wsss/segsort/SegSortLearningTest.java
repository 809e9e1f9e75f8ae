package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.TrainingHyper;
import org.wsss.seg.LossRows;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegTargets;
import org.wsss.synthetic.Scene;
import org.wsss.synthetic.SyntheticScenes;
import org.wsss.synthetic.SyntheticSpec;

/**
 * SegSort end to end on the synthetic shapes without Spark: the small net's embedding trained by the segment
 * sorting loss on ground-truth masks, then val images labelled by nearest-segment retrieval against the training
 * images' prototypes (96 training images of 64x64 in minibatches of 12, 64 Adam steps; 30 val images). Learning
 * must show: the loss falls, and retrieval with the trained net scores at least 0.2 mIoU above the same retrieval
 * with the untrained net (random features) and above all-background. Measured: 0.516 against 0.127 and 0.127.
 */
class SegSortLearningTest {

    private static final int SIZE = 64;
    private static final int STRIDE = 8;
    private static final int GRID = SIZE / STRIDE;
    private static final int TRAIN = 96;
    private static final int VAL = 30;
    private static final int BATCH = 12;
    private static final int STEPS = 64;

    @Test
    void retrievalOnTheTrainedEmbeddingSegmentsUnseenImages() {
        Result r = learn(new SegmentSortingLoss(), false, STEPS);
        System.out.printf("segsort learning: loss %.3f -> %.3f; val mIoU by retrieval untrained %.3f, trained %.3f, "
                + "all background %.3f%n", r.first, r.last, r.untrained, r.trained, r.background);
        assertTrue(r.last < 0.7 * r.first, "segment sorting loss " + r.first + " -> " + r.last);
        assertTrue(r.trained > r.untrained + 0.2 && r.trained > r.background + 0.2,
                "retrieval mIoU trained " + r.trained + ", untrained " + r.untrained + ", background " + r.background);
    }

    /**
     * Unsupervised: the same net and steps, the loss fed only each training image's SLIC superpixels (as
     * train.supervision = unsupervised makes them, {@link SegSortMethod#regionLabels}); the masks only label the
     * training prototypes for retrieval afterwards, as SegSort evaluates its unsupervised embedding. The net learns
     * what it is asked (the loss falls below half), but superpixels of these synthetic scenes say little about their
     * classes (a class is a shape, in any colour), so retrieval gains little. Measured: loss 4.72 -> 1.73, retrieval
     * 0.152 against 0.127 untrained (192 steps: loss 0.54, retrieval 0.156).
     */
    @Test
    void anEmbeddingLearntFromSuperpixelsAloneRetrievesBetterThanAnUntrainedOne() {
        Result r = learn(new SegmentSortingLoss(10, PixelSorting.Params.DEFAULTS, 2, 0,
                SegmentSortingLoss.Labels.REGIONS), true, STEPS);
        System.out.printf("segsort unsupervised learning: loss %.3f -> %.3f; val mIoU by retrieval untrained %.3f, "
                + "trained %.3f, all background %.3f%n", r.first, r.last, r.untrained, r.trained, r.background);
        assertTrue(r.last < 0.5 * r.first, "segment sorting loss on superpixels " + r.first + " -> " + r.last);
        assertTrue(r.trained > r.untrained + 0.01, "retrieval mIoU trained on superpixels " + r.trained
                + ", untrained " + r.untrained);
    }

    private record Result(double first, double last, double untrained, double trained, double background) {
    }

    private static Result learn(SegmentSortingLoss lossFunction, boolean superpixels, int steps) {
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(TRAIN + VAL, SIZE, 21, 0.0, 3));
        int classes = scenes.classNames().size();
        List<Scene> train = new ArrayList<>();
        List<Scene> val = new ArrayList<>();
        for (int i = 0; i < TRAIN + VAL; i++) {
            (i < TRAIN ? train : val).add(scenes.render(i));
        }
        ComputationGraph net = SegNets.small(classes, STRIDE, 3, new TrainingHyper("adam", 2e-3, 0.9, 0, 1.0));
        SegmentSortingLoss loss = SegSortNets.use(net, lossFunction);
        assertEquals(loss, SegSortNets.loss(net));
        PixelSorting.Params sorting = PixelSorting.Params.DEFAULTS;

        double untrained = miou(net, train, val, classes + 1, sorting);
        MultiDataSet[] batches = new MultiDataSet[TRAIN / BATCH];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = batch(train.subList(b * BATCH, (b + 1) * BATCH), superpixels);
        }
        double first = net.score(batches[0]);
        for (int step = 0; step < steps; step++) {
            net.fit(batches[step % batches.length]);
        }
        double last = net.score(batches[0]);
        return new Result(first, last, untrained, miou(net, train, val, classes + 1, sorting),
                backgroundMiou(val, classes + 1));
    }

    private static MultiDataSet batch(List<Scene> scenes, boolean superpixels) {
        List<RgbImage> images = new ArrayList<>();
        float[][] none = new float[scenes.size()][GRID * GRID];
        float[][] dense = new float[scenes.size()][];
        for (int i = 0; i < scenes.size(); i++) {
            images.add(scenes.get(i).image());
            Arrays.fill(none[i], LossRows.IGNORE);
            dense[i] = superpixels ? new float[GRID * GRID]
                    : SegTargets.toGrid(scenes.get(i).mask().labels(), SIZE, SIZE, STRIDE);
        }
        INDArray input = ImageTensors.toBatch(images);
        MultiDataSet batch = SegTargets.batch(input, STRIDE, none, dense);
        if (superpixels) {
            batch.setLabels(1, SegSortMethod.regionLabels(input, batch.getLabels(1), Superpixels.Params.DEFAULTS));
        }
        return batch;
    }

    private static double[] embeddings(ComputationGraph net, Scene scene) {
        INDArray out = net.output(ImageTensors.toInput(scene.image()))[1];
        return out.dup('c').reshape(out.length()).toDoubleVector();
    }

    private static double miou(ComputationGraph net, List<Scene> train, List<Scene> val, int k,
                               PixelSorting.Params sorting) {
        int depth = SegNets.embeddingDim(net);
        List<double[]> vectors = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Scene s : train) {
            float[] grid = SegTargets.toGrid(s.mask().labels(), SIZE, SIZE, STRIDE);
            int[] codes = new int[grid.length];
            for (int c = 0; c < grid.length; c++) {
                codes[c] = (int) grid[c];
            }
            Segmenter.Prototypes p = Segmenter.trainingPrototypes(embeddings(net, s), 0, depth, GRID, GRID, codes,
                    sorting);
            for (int i = 0; i < p.count(); i++) {
                vectors.add(Arrays.copyOfRange(p.vectors(), i * depth, (i + 1) * depth));
                labels.add(p.labels()[i]);
            }
        }
        double[] table = new double[vectors.size() * depth];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.get(i), 0, table, i * depth, depth);
        }
        Segmenter.Prototypes all = new Segmenter.Prototypes(table,
                labels.stream().mapToInt(Integer::intValue).toArray(), depth);
        long[][] confusion = new long[k][k];
        for (Scene s : val) {
            int[] predicted = Segmenter.labelCells(embeddings(net, s), 0, depth, GRID, GRID, sorting, all, 15);
            count(confusion, SegTargets.toGrid(s.mask().labels(), SIZE, SIZE, STRIDE), predicted);
        }
        return miou(confusion);
    }

    private static double backgroundMiou(List<Scene> val, int k) {
        long[][] confusion = new long[k][k];
        for (Scene s : val) {
            count(confusion, SegTargets.toGrid(s.mask().labels(), SIZE, SIZE, STRIDE), new int[GRID * GRID]);
        }
        return miou(confusion);
    }

    private static void count(long[][] confusion, float[] truth, int[] predicted) {
        for (int c = 0; c < truth.length; c++) {
            if (truth[c] != LossRows.IGNORE) {
                confusion[(int) truth[c]][predicted[c]]++;
            }
        }
    }

    /** Mean IoU over the classes present in the truth or the prediction. */
    private static double miou(long[][] m) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < m.length; c++) {
            long tp = m[c][c];
            long fn = Arrays.stream(m[c]).sum() - tp;
            long fp = 0;
            for (long[] row : m) {
                fp += row[c];
            }
            fp -= tp;
            if (tp + fn + fp > 0) {
                sum += (double) tp / (tp + fn + fp);
                n++;
            }
        }
        return sum / n;
    }
}
