package org.wsss.segsort;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.wsss.seg.LossRows;
import org.wsss.seg.TrainingMethod;

/**
 * {@code train.method = segsort}: the embedding output learns by the segment sorting loss from the class labels
 * (dense, or with {@code fromPoints} the clicks, which label the clusters they fall in); the class scores get no
 * labels (their loss is zero), so only the backbone and the embedding learn, as in SegSort. Such a net predicts by
 * retrieval (make-prototypes, predict.method = knn), not by its class scores.
 */
public record SegSortMethod(double concentration, PixelSorting.Params sorting, int memoryBanks, boolean fromPoints)
        implements TrainingMethod {

    public static final String NAME = "segsort";

    public SegSortMethod {
        new SegmentSortingLoss(concentration, sorting, memoryBanks, 0, fromPoints); // validates
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(ComputationGraph net) {
        SegSortNets.use(net, new SegmentSortingLoss(concentration, sorting, memoryBanks, 0, fromPoints));
    }

    @Override
    public MultiDataSet labels(MultiDataSet example) {
        INDArray classes = example.getLabels(0);
        INDArray none = classes.dup().assign(LossRows.IGNORE);
        return new org.nd4j.linalg.dataset.MultiDataSet(example.getFeatures(), new INDArray[]{none, classes.dup()},
                example.getFeaturesMaskArrays(), example.getLabelsMaskArrays());
    }

    @Override
    public boolean scoresClasses() {
        return false;
    }

    /** The worker's memory banks start empty for its share. */
    @Override
    public void startWorkerShare() {
        SegmentSortingLoss.startWorkerShare();
    }
}
