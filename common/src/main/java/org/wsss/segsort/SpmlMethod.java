package org.wsss.segsort;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.seg.SegNets;
import org.wsss.seg.TrainingMethod;

/**
 * {@code train.method = spml}: the SegSort embedding trained by SPML's contrastive terms ({@link SpmlLoss}) from
 * whatever labels train.supervision gives (pseudo-labels from the CAMs for tags, filled boxes, scribbles, clicks, or
 * masks), each example's own SLIC superpixels ({@link Superpixels}) and its image's tags. Like SegSort, the class
 * scores get no labels and the net predicts by retrieval or by the softmax on its embedding.
 *
 * <p>The embedding's labels per example: [the class labels on the score grid (255 unlabelled) | the superpixel of
 * each cell | one flag per class, background excluded, set for the image's tags]. Random scales below 1 pad the
 * example with black: the padding forms superpixels of its own and carries no class label.
 */
public record SpmlMethod(SpmlTerms terms, PixelSorting.Params sorting, int memoryBanks, Superpixels.Params regions,
                         int classes)
        implements TrainingMethod {

    public static final String NAME = "spml";

    /** {@code classes}: the dataset's classes, background excluded (0 until {@link #forClasses} is known). */
    public SpmlMethod {
        if (classes < 0) {
            throw new IllegalArgumentException("spml: classes must be >= 0, got " + classes);
        }
    }

    @Override
    public SpmlMethod forClasses(int numClasses) {
        return new SpmlMethod(terms, sorting, memoryBanks, regions, numClasses);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(ComputationGraph net) {
        SegSortNets.use(net, new SpmlLoss(terms, sorting, memoryBanks, 0,
                SegNets.numScoredClasses(net) - 1));
    }

    @Override
    public MultiDataSet labels(MultiDataSet example) {
        throw new IllegalStateException("train.method = spml needs each example's image tags: call labels(example, "
                + "tags)");
    }

    @Override
    public MultiDataSet labels(MultiDataSet example, int[] tags) {
        return SegSortNets.embeddingOnly(example, embeddingLabels(example.getFeatures(0), example.getLabels(0), tags,
                classes, regions));
    }

    /**
     * [class codes | superpixels | tag flags] per image of {@code images} [N, C, H, W], the class codes
     * {@code classes} [N, cells] on the score grid, the same tags for every image of the minibatch (an example is
     * one image).
     */
    static INDArray embeddingLabels(INDArray images, INDArray classes, int[] tags, int numTags,
                                    Superpixels.Params regions) {
        if (numTags < 1) {
            throw new IllegalStateException("spml: the number of classes is not set (forClasses)");
        }
        int n = (int) classes.size(0);
        int cells = (int) classes.size(1);
        INDArray none = Nd4j.zeros(classes.dataType(), n, cells);
        INDArray superpixels = SegSortMethod.regionLabels(images, none, regions);
        INDArray flags = Nd4j.zeros(classes.dataType(), n, numTags);
        for (int t : tags) {
            if (t >= 1 && t <= numTags) {
                for (int i = 0; i < n; i++) {
                    flags.putScalar(i, t - 1, 1);
                }
            }
        }
        return Nd4j.hstack(classes.castTo(classes.dataType()), superpixels, flags);
    }

    @Override
    public boolean scoresClasses() {
        return false;
    }

    @Override
    public void startWorkerShare() {
        SegmentSortingLoss.startWorkerShare();
    }
}
