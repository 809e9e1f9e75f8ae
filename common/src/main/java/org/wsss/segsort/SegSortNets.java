package org.wsss.segsort;

import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.wsss.seg.LossRows;
import org.wsss.seg.SegNets;

/**
 * SegSort on the segmentation nets of {@link SegNets}: their embedding output (a 1x1 conv on the classifier's
 * input, {@link SegNets#EMBEDDING}) trains with {@link SegmentSortingLoss} in place of PDML's triplet loss, its
 * labels the dense class codes on the score grid (255 ignored); the class scores get no labels (all 255), so
 * the embedding alone is learnt, as in SegSort. The loss travels in the model's JSON.
 */
public final class SegSortNets {

    private SegSortNets() {
    }

    /** Puts {@code loss} on the net's embedding output; returns it. */
    public static SegmentSortingLoss use(ComputationGraph net, SegmentSortingLoss loss) {
        SegNets.embeddingDim(net); // a SegNets net
        ((LossLayer) net.getLayer(SegNets.EMB_LOSS).conf().getLayer()).setLossFn(loss);
        return loss;
    }

    /** Puts SPML's {@code loss} on the net's embedding output; returns it. */
    public static SpmlLoss use(ComputationGraph net, SpmlLoss loss) {
        SegNets.embeddingDim(net);
        ((LossLayer) net.getLayer(SegNets.EMB_LOSS).conf().getLayer()).setLossFn(loss);
        return loss;
    }

    /**
     * The example with only its embedding labelled: the class scores get all 255 (they learn nothing), the embedding
     * output gets {@code target}.
     */
    public static MultiDataSet embeddingOnly(MultiDataSet example, INDArray target) {
        INDArray none = example.getLabels(0).dup().assign(LossRows.IGNORE);
        return new org.nd4j.linalg.dataset.MultiDataSet(example.getFeatures(), new INDArray[]{none, target},
                example.getFeaturesMaskArrays(), example.getLabelsMaskArrays());
    }

    /** Whether the net's embedding was trained to sort segments (SegSort's loss or SPML's), so it retrieves. */
    public static boolean sortsSegments(ComputationGraph net) {
        SegNets.embeddingDim(net);
        ILossFunction f = ((LossLayer) net.getLayer(SegNets.EMB_LOSS).conf().getLayer()).getLossFn();
        return f instanceof SegmentSortingLoss || f instanceof SpmlLoss;
    }

    /** The net's segment sorting loss, or null when its embedding output trains with another loss. */
    public static SegmentSortingLoss loss(ComputationGraph net) {
        SegNets.embeddingDim(net);
        ILossFunction f = ((LossLayer) net.getLayer(SegNets.EMB_LOSS).conf().getLayer()).getLossFn();
        return f instanceof SegmentSortingLoss s ? s : null;
    }
}
