package org.wsss.seg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.nn.ExplicitGradientLoss;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PDML's cross-image triplet loss on the embeddings of annotated points:
 * L_t(P_ai, P_bj, P_bk) = alpha * ||P_ai - P_bj|| + beta * max(||P_ai - P_bj|| - ||P_ai - P_bk|| + margin, 0).
 *
 * <p>Triplets: ALL valid ones in the minibatch. For every annotated point i of image a (anchor), every other image
 * b != a, every point j of b with i's class (positive) and every point k of b with another class (negative). Both
 * partners come from the same image b, as in the paper's (P_ai, P_bj, P_bk); an anchor whose image b lacks either
 * a positive or a negative forms no triplet with b. L is the mean of L_t over the T triplets (0 when T = 0, e.g. a
 * minibatch of one image). Embeddings are not normalised: with margin 20 the paper's distances are unbounded.
 *
 * <p>Predictions are embeddings [N, D*P] (D-dim vectors at P = h*w cells, see {@link FlattenMapsLayer}), labels
 * [N, P] with the class at annotated cells and 255 elsewhere. As DL4J divides the summed score and the gradient by
 * N, the loss reports N * L, each triplet's share booked to its anchor's image. The distance matrix of the M
 * annotated points is formed in memory, so this is meant for sparse points (M up to {@link #MAX_POINTS}).
 */
public class PointTripletLoss extends ExplicitGradientLoss {

    public static final int MAX_POINTS = 8192;
    private static final String NAME = "PointTripletLoss";

    @JsonProperty("margin")
    private double margin = 20;
    @JsonProperty("alpha")
    private double alpha = 0.8;
    @JsonProperty("beta")
    private double beta = 1;

    /** PDML's m = 20, alpha = 0.8, beta = 1. */
    public PointTripletLoss() {
    }

    public PointTripletLoss(double margin, double alpha, double beta) {
        if (!(margin >= 0) || !(alpha >= 0) || !(beta >= 0) || Double.isInfinite(margin + alpha + beta)) {
            throw new IllegalArgumentException("triplet loss needs finite margin, alpha, beta >= 0, got margin "
                    + margin + ", alpha " + alpha + ", beta " + beta);
        }
        this.margin = margin;
        this.alpha = alpha;
        this.beta = beta;
    }

    @Override
    protected Terms terms(INDArray labels, INDArray embeddings, INDArray mask, boolean withGradient) {
        int depth = LossRows.planes(NAME, labels, embeddings);
        int rows = (int) labels.size(0);
        int cells = (int) labels.size(1);
        int[] codes = LossRows.codes(NAME, labels, mask, LossRows.IGNORE - 1);
        double[] e = LossRows.flat(embeddings);
        List<Integer> annotated = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != LossRows.IGNORE) {
                annotated.add(i);
            }
        }
        int m = annotated.size();
        if (m > MAX_POINTS) {
            throw new IllegalArgumentException(NAME + ": " + m + " annotated cells in the minibatch, more than "
                    + MAX_POINTS + "; embedding labels should hold the sparse point annotations only");
        }
        int[] image = new int[m];
        int[] cls = new int[m];
        double[][] vec = new double[m][depth];
        for (int q = 0; q < m; q++) {
            int flat = annotated.get(q);
            image[q] = flat / cells;
            cls[q] = codes[flat];
            int base = image[q] * depth * cells + flat % cells;
            for (int d = 0; d < depth; d++) {
                vec[q][d] = e[base + d * cells];
            }
        }
        double[][] dist = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double s = 0;
                for (int d = 0; d < depth; d++) {
                    double diff = vec[i][d] - vec[j][d];
                    s += diff * diff;
                }
                dist[i][j] = dist[j][i] = Math.sqrt(s);
            }
        }
        // points grouped by image, to pair each anchor with the positives and negatives of one other image at a time
        List<List<Integer>> byImage = new ArrayList<>();
        for (int n = 0; n < rows; n++) {
            byImage.add(new ArrayList<>());
        }
        for (int q = 0; q < m; q++) {
            byImage.get(image[q]).add(q);
        }
        double[][] coef = withGradient ? new double[m][m] : null;
        double[] rowSums = new double[rows];
        long triplets = 0;
        for (int i = 0; i < m; i++) {
            for (int b = 0; b < rows; b++) {
                if (b == image[i]) {
                    continue;
                }
                List<Integer> pos = new ArrayList<>();
                List<Integer> neg = new ArrayList<>();
                for (int q : byImage.get(b)) {
                    (cls[q] == cls[i] ? pos : neg).add(q);
                }
                for (int j : pos) {
                    for (int k : neg) {
                        triplets++;
                        double gap = dist[i][j] - dist[i][k] + margin;
                        rowSums[image[i]] += alpha * dist[i][j] + beta * Math.max(gap, 0);
                        if (withGradient) {
                            coef[i][j] += alpha + (gap > 0 ? beta : 0);
                            coef[i][k] -= gap > 0 ? beta : 0;
                        }
                    }
                }
            }
        }
        double scale = triplets == 0 ? 0 : (double) rows / triplets;
        double[] rowScores = new double[rows];
        for (int n = 0; n < rows; n++) {
            rowScores[n] = rowSums[n] * scale;
        }
        double[] gradient = null;
        if (withGradient) {
            gradient = new double[e.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    // d||P_i - P_j|| / dP_i = (P_i - P_j) / ||P_i - P_j||; a zero distance gets the zero subgradient
                    if (coef[i][j] == 0 || dist[i][j] == 0) {
                        continue;
                    }
                    double w = scale * coef[i][j] / dist[i][j];
                    int bi = image[i] * depth * cells + annotated.get(i) % cells;
                    int bj = image[j] * depth * cells + annotated.get(j) % cells;
                    for (int d = 0; d < depth; d++) {
                        double g = w * (vec[i][d] - vec[j][d]);
                        gradient[bi + d * cells] += g;
                        gradient[bj + d * cells] -= g;
                    }
                }
            }
        }
        return new Terms(rowScores, gradient);
    }

    @Override
    public String name() {
        return NAME;
    }

    public double getMargin() {
        return margin;
    }

    public void setMargin(double margin) {
        this.margin = margin;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointTripletLoss other && margin == other.margin && alpha == other.alpha
                && beta == other.beta;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[]{margin, alpha, beta});
    }

    @Override
    public String toString() {
        return NAME + "(margin " + margin + ", alpha " + alpha + ", beta " + beta + ")";
    }
}
