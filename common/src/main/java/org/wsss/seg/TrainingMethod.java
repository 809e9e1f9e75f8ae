package org.wsss.seg;

import java.io.Serializable;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * One way of training the segmentation nets of {@link SegNets} ({@code train.method}): which losses sit on the
 * net's two outputs (class scores, embeddings), which labels each output gets, and whether the trained class
 * scores predict. train-segmentation builds the net, lets the method {@link #configure} it and passes every
 * example through {@link #labels}; the rest of the stage (data, parameter averaging, epochs) is shared.
 */
public interface TrainingMethod extends Serializable {

    /** The {@code train.method} value. */
    String name();

    /** Puts the method's losses, with their settings, on a net just built by {@link SegNets}. */
    void configure(ComputationGraph net);

    /**
     * One example as the method trains on it, from the example {@link SegExamples} makes: labels[0] the class
     * labels on the score grid (dense or sparse, 255 ignored), labels[1] the annotated points' labels.
     */
    MultiDataSet labels(MultiDataSet example);

    /**
     * {@link #labels} for a method that also needs the image's tags (class indices 1..C), such as SPML's
     * co-occurrence; the others ignore them.
     */
    default MultiDataSet labels(MultiDataSet example, int[] tags) {
        return labels(example);
    }

    /** The method for a dataset of {@code numClasses} classes (background excluded), for those that need it. */
    default TrainingMethod forClasses(int numClasses) {
        return this;
    }

    /** Whether the trained class scores predict (per-epoch scoring, predict.method = softmax, the extension). */
    boolean scoresClasses();

    /**
     * Whether the method makes its labels from the images themselves (unsupervised): its examples then come with a
     * label of 0 on every pixel of the image, so that {@link #labels} can tell the image from the padding a smaller
     * random scale adds (255).
     */
    default boolean labelsFromImage() {
        return false;
    }

    /** A worker begins its share of an averaging round on the current thread (the thread that will fit it). */
    default void startWorkerShare() {
    }
}
