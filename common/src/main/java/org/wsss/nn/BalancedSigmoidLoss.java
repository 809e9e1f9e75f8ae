package org.wsss.nn;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Multi-label sigmoid cross-entropy with a weight per class on the positive term and an optional focal factor:
 * per class c with score p and target y,
 * {@code -(w_c * y * (1 - p)^gamma * log p + (1 - y) * p^gamma * log(1 - p))}, summed over classes.
 *
 * <p>Why: with few positives per class (10 classes, 1-3 tags per image) plain cross-entropy is minimised early by
 * answering "no class" everywhere, and a small net trained from scratch can stay there (the holdout F1 at 0.5 goes
 * to 0). Weighting positives by negatives/positives of the class (PyTorch's {@code pos_weight}) makes the constant
 * answer sit at 0.5, so the net gains only by telling images apart; the focal factor (gamma > 0) further discounts
 * examples the net already gets right. gamma = 0 and all weights 1 is DL4J's binary cross-entropy.
 *
 * <p>Activations are the sigmoid outputs; they are clipped to [eps, 1 - eps] as DL4J's LossBinaryXENT does, and the
 * gradient there is the clipped function's (zero outside).
 */
public class BalancedSigmoidLoss extends ExplicitGradientLoss {

    static final double EPS = 1e-5;

    @JsonProperty("positiveWeights")
    private double[] positiveWeights;
    @JsonProperty("gamma")
    private double gamma;

    /** For JSON: a model's configuration restores its loss through this constructor and the properties. */
    public BalancedSigmoidLoss() {
        this(new double[0], 0);
    }

    /**
     * @param positiveWeights weight of each class's positive term (length = classes; empty = all 1)
     * @param gamma focal exponent, >= 0 (0 = plain weighted cross-entropy)
     */
    public BalancedSigmoidLoss(double[] positiveWeights, double gamma) {
        for (int c = 0; c < positiveWeights.length; c++) {
            if (!(positiveWeights[c] > 0) || Double.isInfinite(positiveWeights[c])) {
                throw new IllegalArgumentException("positive weight of class " + c
                        + " must be a positive finite number, got " + positiveWeights[c]);
            }
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("focal gamma must be a finite number >= 0, got " + gamma);
        }
        this.positiveWeights = positiveWeights.clone();
        this.gamma = gamma;
    }

    /**
     * Positive weights from tag counts: negatives / positives of each class over {@code images}, at least 1 (a
     * frequent class is not down-weighted below plain cross-entropy) and at most {@code max}; a class with no
     * positive image gets 1.
     */
    public static double[] weightsFromCounts(long[] positives, long images, double max) {
        double[] w = new double[positives.length];
        for (int c = 0; c < w.length; c++) {
            if (positives[c] < 0 || positives[c] > images) {
                throw new IllegalArgumentException("class " + c + " has " + positives[c] + " positives among "
                        + images + " images");
            }
            w[c] = positives[c] == 0 ? 1 : Math.max(1, Math.min(max, (images - positives[c]) / (double) positives[c]));
        }
        return w;
    }

    public double[] getPositiveWeights() {
        return positiveWeights.clone();
    }

    public void setPositiveWeights(double[] positiveWeights) {
        this.positiveWeights = positiveWeights.clone();
    }

    public double getGamma() {
        return gamma;
    }

    public void setGamma(double gamma) {
        this.gamma = gamma;
    }

    @Override
    protected Terms terms(INDArray labels, INDArray activations, INDArray mask, boolean withGradient) {
        if (!Arrays.equals(labels.shape(), activations.shape()) || labels.rank() != 2) {
            throw new IllegalArgumentException("BalancedSigmoidLoss: labels " + Arrays.toString(labels.shape())
                    + " and scores " + Arrays.toString(activations.shape()) + " must both be [examples, classes]");
        }
        int rows = (int) labels.size(0);
        int classes = (int) labels.size(1);
        if (positiveWeights.length != 0 && positiveWeights.length != classes) {
            throw new IllegalArgumentException("BalancedSigmoidLoss has " + positiveWeights.length
                    + " positive weights for " + classes + " classes");
        }
        double[] y = labels.dup('c').reshape(labels.length()).toDoubleVector();
        double[] a = activations.dup('c').reshape(activations.length()).toDoubleVector();
        double[] m = maskPerEntry(mask, rows, classes);
        double[] rowScores = new double[rows];
        double[] grad = withGradient ? new double[a.length] : null;
        for (int n = 0; n < rows; n++) {
            for (int c = 0; c < classes; c++) {
                int i = n * classes + c;
                if (m != null && m[i] == 0) {
                    continue;
                }
                double weight = m == null ? 1 : m[i];
                double w = positiveWeights.length == 0 ? 1 : positiveWeights[c];
                boolean clipped = a[i] < EPS || a[i] > 1 - EPS;
                double p = Math.min(1 - EPS, Math.max(EPS, a[i]));
                double logP = Math.log(p);
                double logQ = Math.log1p(-p);
                double q = 1 - p;
                // pos = w (1-p)^g log p, neg = p^g log(1-p); loss = -(y pos + (1-y) neg)
                double fq = gamma == 0 ? 1 : Math.pow(q, gamma);
                double fp = gamma == 0 ? 1 : Math.pow(p, gamma);
                rowScores[n] -= weight * (y[i] * w * fq * logP + (1 - y[i]) * fp * logQ);
                if (grad != null && !clipped) {
                    double dPos = w * ((gamma == 0 ? 0 : -gamma * Math.pow(q, gamma - 1) * logP) + fq / p);
                    double dNeg = (gamma == 0 ? 0 : gamma * Math.pow(p, gamma - 1) * logQ) - fp / q;
                    grad[i] = -weight * (y[i] * dPos + (1 - y[i]) * dNeg);
                }
            }
        }
        return new Terms(rowScores, grad);
    }

    /** A [N, 1] mask applies to a whole example, a [N, C] mask to each score; null means no mask. */
    private static double[] maskPerEntry(INDArray mask, int rows, int classes) {
        if (mask == null) {
            return null;
        }
        double[] raw = mask.dup('c').reshape(mask.length()).toDoubleVector();
        if (raw.length == (long) rows * classes) {
            return raw;
        }
        if (raw.length != rows) {
            throw new IllegalArgumentException("BalancedSigmoidLoss: mask " + Arrays.toString(mask.shape())
                    + " fits neither [" + rows + ", 1] nor [" + rows + ", " + classes + "]");
        }
        double[] out = new double[rows * classes];
        for (int n = 0; n < rows; n++) {
            Arrays.fill(out, n * classes, (n + 1) * classes, raw[n]);
        }
        return out;
    }

    @Override
    public String name() {
        return "BalancedSigmoidLoss";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BalancedSigmoidLoss other && gamma == other.gamma
                && Arrays.equals(positiveWeights, other.positiveWeights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(positiveWeights) + Double.hashCode(gamma);
    }

    @Override
    public String toString() {
        return "BalancedSigmoidLoss(positiveWeights=" + Arrays.toString(positiveWeights) + ", gamma=" + gamma + ")";
    }
}
