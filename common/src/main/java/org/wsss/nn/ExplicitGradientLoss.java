package org.wsss.nn;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Arrays;

/**
 * The DL4J plumbing shared by the project's custom losses: a subclass computes per-row scores and, when asked,
 * the gradient with respect to the activations in plain Java ({@link #terms}); this class applies the
 * activation function, its backprop and DL4J's score conventions. (SameDiff losses do not train on Spark,
 * see STACK.md, so gradients are explicit and checked against finite differences.)
 */
public abstract class ExplicitGradientLoss implements ILossFunction {

    /** Per-row summed scores and, when asked, d(sum)/d(activation) in the activations' c-order. */
    public record Terms(double[] rowScores, double[] gradient) {
        public double total() {
            return Arrays.stream(rowScores).sum();
        }
    }

    /** Scores (and the gradient when {@code withGradient}) of activations against labels; mask may be null. */
    protected abstract Terms terms(INDArray labels, INDArray activations, INDArray mask, boolean withGradient);

    private static INDArray activate(INDArray preOutput, IActivation activationFn) {
        return activationFn.getActivation(preOutput.dup(), true);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double total = terms(labels, activate(preOutput, activationFn), mask, false).total();
        return average ? total / labels.size(0) : total;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] rowScores = terms(labels, activate(preOutput, activationFn), mask, false).rowScores();
        return Nd4j.createFromArray(rowScores).reshape(rowScores.length, 1).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return gradient(terms(labels, activate(preOutput, activationFn), mask, true), preOutput, activationFn);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        Terms terms = terms(labels, activate(preOutput, activationFn), mask, true);
        double total = terms.total();
        return Pair.of(average ? total / labels.size(0) : total, gradient(terms, preOutput, activationFn));
    }

    private static INDArray gradient(Terms terms, INDArray preOutput, IActivation activationFn) {
        INDArray dLdA = Nd4j.createFromArray(terms.gradient()).reshape('c', preOutput.shape())
                .castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLdA).getFirst();
    }
}
