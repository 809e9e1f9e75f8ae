package org.wsss.affinity;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.ExplicitGradientLoss;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * psa's class-balanced affinity loss L = wBg * L_bg+ + wFg * L_fg+ + wNeg * L_neg (weights 1/4, 1/4, 1/2), each term
 * a mean cross-entropy over its own subset of pairs in the whole minibatch: -log(a + eps) for positive pairs,
 * -log(1 - a + eps) for negative ones (psa's additive eps keeps a gradient at a = 0 or 1, where a clamp would
 * zero it). A subset without pairs contributes 0.
 *
 * <p>Labels and predictions are [N, pairs per image] (see {@link AffinityLayer}), labels coded
 * {@link #BG_POSITIVE}, {@link #FG_POSITIVE}, {@link #NEGATIVE} or {@link #DROPPED}. DL4J's output layers divide
 * the score, and their updater the gradient, by the minibatch size N; so this loss reports N * L as its summed
 * score, and the network trains on exactly L.
 */
public class AffinityLoss extends ExplicitGradientLoss {

    public static final int DROPPED = -1;
    public static final int NEGATIVE = 0;
    public static final int BG_POSITIVE = 1;
    public static final int FG_POSITIVE = 2;

    @JsonProperty("bgWeight")
    private double bgWeight = 0.25;
    @JsonProperty("fgWeight")
    private double fgWeight = 0.25;
    @JsonProperty("negWeight")
    private double negWeight = 0.5;
    @JsonProperty("eps")
    private double eps = 1e-5;

    public AffinityLoss() {
    }

    public AffinityLoss(double bgWeight, double fgWeight, double negWeight, double eps) {
        if (bgWeight < 0 || fgWeight < 0 || negWeight < 0 || !(eps > 0)) {
            throw new IllegalArgumentException("affinity loss weights must be >= 0 and eps > 0, got bg " + bgWeight
                    + ", fg " + fgWeight + ", neg " + negWeight + ", eps " + eps);
        }
        this.bgWeight = bgWeight;
        this.fgWeight = fgWeight;
        this.negWeight = negWeight;
        this.eps = eps;
    }

    @Override
    protected Terms terms(INDArray labels, INDArray activations, INDArray mask, boolean withGradient) {
        if (labels.rank() != 2 || !Arrays.equals(labels.shape(), activations.shape())) {
            throw new IllegalArgumentException("affinity labels " + Arrays.toString(labels.shape())
                    + " and predictions " + Arrays.toString(activations.shape()) + " must both be [N, pairs]");
        }
        int rows = (int) labels.size(0);
        int cols = (int) labels.size(1);
        double[] lab = flat(labels);
        double[] a = flat(activations);
        double[] keep = maskValues(mask, rows, cols);
        int[] counts = new int[3];
        for (int i = 0; i < lab.length; i++) {
            int code = code(lab[i], i);
            if (code != DROPPED && (keep == null || keep[i] != 0)) {
                counts[code]++;
            }
        }
        double[] coefficient = new double[3];
        double[] weight = {negWeight, bgWeight, fgWeight};
        for (int k = 0; k < 3; k++) {
            coefficient[k] = counts[k] == 0 ? 0 : rows * weight[k] / counts[k];
        }
        double[] rowScores = new double[rows];
        double[] gradient = withGradient ? new double[lab.length] : null;
        for (int i = 0; i < lab.length; i++) {
            int code = code(lab[i], i);
            if (code == DROPPED || (keep != null && keep[i] == 0)) {
                continue;
            }
            double ai = Math.min(Math.max(a[i], 0), 1);
            boolean negative = code == NEGATIVE;
            double arg = negative ? 1 - ai + eps : ai + eps;
            rowScores[i / cols] -= coefficient[code] * Math.log(arg);
            if (withGradient && ai == a[i]) {
                gradient[i] = coefficient[code] * (negative ? 1 / arg : -1 / arg);
            }
        }
        return new Terms(rowScores, gradient);
    }

    private static int code(double label, int index) {
        int code = (int) label;
        if (code != label || code < DROPPED || code > FG_POSITIVE) {
            throw new IllegalArgumentException("affinity label at flat index " + index + " is " + label
                    + "; expected -1 (dropped), 0 (negative), 1 (bg positive) or 2 (fg positive)");
        }
        return code;
    }

    private static double[] flat(INDArray array) {
        return Nd4j.toFlattened('c', array).toDoubleVector();
    }

    /** Mask as one value per label entry, from a per-entry [N, pairs] or per-example [N, 1] mask. */
    private static double[] maskValues(INDArray mask, int rows, int cols) {
        if (mask == null) {
            return null;
        }
        if (mask.rank() == 2 && mask.size(0) == rows && mask.size(1) == cols) {
            return flat(mask);
        }
        if (mask.length() == rows) {
            double[] perRow = flat(mask);
            double[] values = new double[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = perRow[i / cols];
            }
            return values;
        }
        throw new IllegalArgumentException("affinity loss mask " + Arrays.toString(mask.shape())
                + " is neither [" + rows + ", " + cols + "] nor [" + rows + ", 1]");
    }

    @Override
    public String name() {
        return "AffinityLoss";
    }

    public double getBgWeight() {
        return bgWeight;
    }

    public void setBgWeight(double bgWeight) {
        this.bgWeight = bgWeight;
    }

    public double getFgWeight() {
        return fgWeight;
    }

    public void setFgWeight(double fgWeight) {
        this.fgWeight = fgWeight;
    }

    public double getNegWeight() {
        return negWeight;
    }

    public void setNegWeight(double negWeight) {
        this.negWeight = negWeight;
    }

    public double getEps() {
        return eps;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AffinityLoss other && bgWeight == other.bgWeight && fgWeight == other.fgWeight
                && negWeight == other.negWeight && eps == other.eps;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[]{bgWeight, fgWeight, negWeight, eps});
    }

    @Override
    public String toString() {
        return "AffinityLoss(bg " + bgWeight + ", fg " + fgWeight + ", neg " + negWeight + ", eps " + eps + ")";
    }
}
