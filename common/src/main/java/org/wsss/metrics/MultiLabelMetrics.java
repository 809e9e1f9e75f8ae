package org.wsss.metrics;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multi-label classification scores over C classes (image-level labels), accumulated sample by sample;
 * serializable and mergeable across Spark tasks.
 *
 * <p>Per class: precision = TP/(TP+FP), NaN when the class was never predicted; recall = TP/(TP+FN),
 * NaN when the class never occurs in the truth; F1 = 2TP/(2TP+FP+FN), NaN when the class has neither
 * true nor predicted positives (a class predicted but never true has F1 0, and so has one true but never
 * predicted). Macro scores are the means of the per-class values that are not NaN (NaN when none is).
 * Micro scores use the summed TP/FP/FN over classes, NaN under the same empty conditions.
 */
public final class MultiLabelMetrics implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;
    private long numSamples;

    public MultiLabelMetrics(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.tp = new long[numClasses];
        this.fp = new long[numClasses];
        this.fn = new long[numClasses];
    }

    public int numClasses() {
        return numClasses;
    }

    public long numSamples() {
        return numSamples;
    }

    /** Adds one sample given as class indices in [0, C); repeated indices count once. */
    public void add(int[] trueLabels, int[] predictedLabels) {
        add(indicator("true label", trueLabels), indicator("predicted label", predictedLabels));
    }

    /** Adds one sample given as indicator arrays of length C. */
    public void add(boolean[] truth, boolean[] predicted) {
        if (truth.length != numClasses || predicted.length != numClasses) {
            throw new IllegalArgumentException("indicator arrays must have " + numClasses
                    + " entries, got truth " + truth.length + " and predicted " + predicted.length);
        }
        for (int c = 0; c < numClasses; c++) {
            if (truth[c] && predicted[c]) {
                tp[c]++;
            } else if (predicted[c]) {
                fp[c]++;
            } else if (truth[c]) {
                fn[c]++;
            }
        }
        numSamples++;
    }

    private boolean[] indicator(String role, int[] labels) {
        boolean[] set = new boolean[numClasses];
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException(role + " " + label + " is outside [0, " + numClasses + ")");
            }
            set[label] = true;
        }
        return set;
    }

    public void merge(MultiLabelMetrics other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException(
                    "cannot merge metrics over " + other.numClasses + " classes into metrics over " + numClasses);
        }
        for (int c = 0; c < numClasses; c++) {
            tp[c] += other.tp[c];
            fp[c] += other.fp[c];
            fn[c] += other.fn[c];
        }
        numSamples += other.numSamples;
    }

    /** Indices of the classes whose score is at least {@code t}, ascending. */
    public static int[] threshold(double[] scores, double t) {
        int n = 0;
        int[] picked = new int[scores.length];
        for (int c = 0; c < scores.length; c++) {
            if (scores[c] >= t) {
                picked[n++] = c;
            }
        }
        return Arrays.copyOf(picked, n);
    }

    public long truePositives(int c) {
        return tp[c];
    }

    public long falsePositives(int c) {
        return fp[c];
    }

    public long falseNegatives(int c) {
        return fn[c];
    }

    public double precision(int c) {
        return ratio(tp[c], tp[c] + fp[c]);
    }

    public double recall(int c) {
        return ratio(tp[c], tp[c] + fn[c]);
    }

    public double f1(int c) {
        return f1(tp[c], fp[c], fn[c]);
    }

    public double microPrecision() {
        return ratio(sum(tp), sum(tp) + sum(fp));
    }

    public double microRecall() {
        return ratio(sum(tp), sum(tp) + sum(fn));
    }

    public double microF1() {
        return f1(sum(tp), sum(fp), sum(fn));
    }

    /**
     * Micro-F1 of the trivial answer "every class of {@code activeClasses}" on the same samples: 2P / (P + N*K)
     * with P the true labels counted here, N the samples, K the active classes (classes never scored, such as
     * excluded ones, are left out of K). A classifier at or below it has learned nothing usable; NaN without
     * samples.
     */
    public double allPositiveMicroF1(int activeClasses) {
        if (activeClasses < 1 || activeClasses > numClasses) {
            throw new IllegalArgumentException("activeClasses must be in [1, " + numClasses + "], got "
                    + activeClasses);
        }
        long positives = 0;
        for (int c = 0; c < numClasses; c++) {
            positives += tp[c] + fn[c];
        }
        return numSamples == 0 ? Double.NaN : 2.0 * positives / (positives + (double) numSamples * activeClasses);
    }

    public double macroPrecision() {
        double[] values = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            values[c] = precision(c);
        }
        return SegmentationMetrics.nanMean(values);
    }

    public double macroRecall() {
        double[] values = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            values[c] = recall(c);
        }
        return SegmentationMetrics.nanMean(values);
    }

    public double macroF1() {
        double[] values = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            values[c] = f1(c);
        }
        return SegmentationMetrics.nanMean(values);
    }

    /** The summary scores under the key names used in metrics.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("micro_precision", microPrecision());
        map.put("micro_recall", microRecall());
        map.put("micro_f1", microF1());
        map.put("macro_precision", macroPrecision());
        map.put("macro_recall", macroRecall());
        map.put("macro_f1", macroF1());
        map.put("num_samples", numSamples);
        return map;
    }

    private static double f1(long tp, long fp, long fn) {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }
}
