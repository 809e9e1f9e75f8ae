package org.wsss.metrics;

import java.io.Serializable;

/**
 * Per-class average precision of multi-label scores (probabilities in [0, 1]), threshold-free, mergeable across
 * Spark tasks. AP is the area under the step-wise precision-recall curve, sum over thresholds of
 * (R_k - R_{k-1}) * P_k, as scikit-learn's {@code average_precision_score} (no interpolation); tied scores form one
 * threshold. mAP is the mean over the classes with at least one positive sample.
 *
 * <p>Scores are counted in {@link #BINS} bins of the logit over [-{@link #LOGIT_RANGE}, {@link #LOGIT_RANGE}] (a
 * fixed few kB per class instead of every score on the driver); scores that fall in one bin count as tied. A
 * threshold metric such as F1 at 0.5 can sit at chance while the ranking already separates the classes; AP shows
 * that.
 */
public final class AveragePrecision implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int BINS = 1000;
    public static final double LOGIT_RANGE = 10.0;

    private final int numClasses;
    private final long[][] positives;
    private final long[][] negatives;

    public AveragePrecision(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.positives = new long[numClasses][BINS];
        this.negatives = new long[numClasses][BINS];
    }

    /** Adds one sample: a probability per class and whether the class is present; classes outside {@code active}
     * (null: all) are not counted. */
    public void add(double[] scores, boolean[] truth, boolean[] active) {
        if (scores.length != numClasses || truth.length != numClasses) {
            throw new IllegalArgumentException("scores and truth must have " + numClasses + " entries, got "
                    + scores.length + " and " + truth.length);
        }
        for (int c = 0; c < numClasses; c++) {
            if (active != null && !active[c]) {
                continue;
            }
            if (Double.isNaN(scores[c])) {
                throw new IllegalArgumentException("score of class index " + c + " is NaN");
            }
            int b = bin(scores[c]);
            if (truth[c]) {
                positives[c][b]++;
            } else {
                negatives[c][b]++;
            }
        }
    }

    public void merge(AveragePrecision other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException("cannot merge " + other.numClasses + " classes into " + numClasses);
        }
        for (int c = 0; c < numClasses; c++) {
            for (int b = 0; b < BINS; b++) {
                positives[c][b] += other.positives[c][b];
                negatives[c][b] += other.negatives[c][b];
            }
        }
    }

    /** AP of class index c; NaN when the class has no positive sample. */
    public double ap(int c) {
        long totalPos = 0;
        for (long p : positives[c]) {
            totalPos += p;
        }
        if (totalPos == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long tp = 0;
        long fp = 0;
        for (int b = BINS - 1; b >= 0; b--) {
            long p = positives[c][b];
            tp += p;
            fp += negatives[c][b];
            if (p > 0) {
                ap += (double) p / totalPos * tp / (tp + fp);
            }
        }
        return ap;
    }

    /** Mean of {@link #ap} over the classes with a positive sample; NaN when none has one. */
    public double meanAp() {
        double[] values = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            values[c] = ap(c);
        }
        return SegmentationMetrics.nanMean(values);
    }

    /**
     * mAP of scores that carry no information (a constant answer): each class's AP is then its positive rate, so
     * this is the mean positive rate over the classes with a positive sample. A classifier near it ranks no better
     * than chance.
     */
    public double chanceMeanAp() {
        double[] values = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long p = 0;
            long n = 0;
            for (int b = 0; b < BINS; b++) {
                p += positives[c][b];
                n += negatives[c][b];
            }
            values[c] = p == 0 ? Double.NaN : (double) p / (p + n);
        }
        return SegmentationMetrics.nanMean(values);
    }

    static int bin(double probability) {
        double p = Math.min(Math.max(probability, 0.0), 1.0);
        double logit = Math.log(p) - Math.log1p(-p);
        double x = (Math.max(-LOGIT_RANGE, Math.min(LOGIT_RANGE, logit)) + LOGIT_RANGE) / (2 * LOGIT_RANGE);
        return Math.min(BINS - 1, (int) (x * BINS));
    }
}
