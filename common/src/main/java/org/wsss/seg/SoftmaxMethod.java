package org.wsss.seg;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * {@code train.method = softmax}: per-pixel class scores by pixel cross-entropy on the class labels, and on points
 * PDML's cross-image triplet loss on the embeddings of the points (its margin, alpha and beta here).
 */
public record SoftmaxMethod(double tripletMargin, double tripletAlpha, double tripletBeta) implements TrainingMethod {

    public static final String NAME = "softmax";

    public SoftmaxMethod {
        new PointTripletLoss(tripletMargin, tripletAlpha, tripletBeta); // validates
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(ComputationGraph net) {
        PointTripletLoss loss = SegNets.tripletLoss(net);
        loss.setMargin(tripletMargin);
        loss.setAlpha(tripletAlpha);
        loss.setBeta(tripletBeta);
    }

    @Override
    public MultiDataSet labels(MultiDataSet example) {
        return example;
    }

    @Override
    public boolean scoresClasses() {
        return true;
    }
}
