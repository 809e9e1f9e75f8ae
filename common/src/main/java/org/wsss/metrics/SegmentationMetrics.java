package org.wsss.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Segmentation scores derived from a {@link ConfusionMatrix}.
 *
 * <p>IoU of class c = TP / (TP + FP + FN), NaN when c occurs neither in the ground truth nor in the
 * prediction; mIoU is the mean over the non-NaN classes, so absent classes do not pull it down.
 * Pixel accuracy = correct / all evaluated pixels. Mean accuracy = mean per-class recall over the
 * classes that have ground-truth pixels. Unassigned predictions (see {@link ConfusionMatrix}) are false
 * negatives of their ground-truth class and false positives of none. With no evaluated pixel at all,
 * every score is NaN.
 */
public final class SegmentationMetrics {
    private final List<String> labelNames;
    private final double[] iou;
    private final double[] recall;
    private final double pixelAccuracy;
    private final long numImages;

    private SegmentationMetrics(List<String> labelNames, double[] iou, double[] recall,
                                double pixelAccuracy, long numImages) {
        this.labelNames = labelNames;
        this.iou = iou;
        this.recall = recall;
        this.pixelAccuracy = pixelAccuracy;
        this.numImages = numImages;
    }

    /** @param labelNames one name per label, background first; its size must equal the matrix's labels */
    public static SegmentationMetrics of(ConfusionMatrix matrix, List<String> labelNames, long numImages) {
        int n = matrix.numLabels();
        if (labelNames.size() != n) {
            throw new IllegalArgumentException("labelNames has " + labelNames.size()
                    + " names but the confusion matrix has " + n + " labels: " + labelNames);
        }
        if (new HashSet<>(labelNames).size() != n) {
            throw new IllegalArgumentException("labelNames contains a duplicate name: " + labelNames);
        }
        if (numImages < 0) {
            throw new IllegalArgumentException("numImages must be >= 0, got " + numImages);
        }
        double[] iou = new double[n];
        double[] recall = new double[n];
        long correct = 0;
        for (int c = 0; c < n; c++) {
            long tp = matrix.count(c, c);
            long gt = matrix.gtTotal(c);
            long pred = matrix.predTotal(c);
            long union = gt + pred - tp; // = TP + FN + FP
            iou[c] = union == 0 ? Double.NaN : (double) tp / union;
            recall[c] = gt == 0 ? Double.NaN : (double) tp / gt;
            correct += tp;
        }
        long total = matrix.total();
        double pixelAccuracy = total == 0 ? Double.NaN : (double) correct / total;
        return new SegmentationMetrics(List.copyOf(labelNames), iou, recall, pixelAccuracy, numImages);
    }

    public double miou() {
        return nanMean(iou);
    }

    public double pixelAccuracy() {
        return pixelAccuracy;
    }

    public double meanAccuracy() {
        return nanMean(recall);
    }

    /** Label name -> IoU (NaN for a class absent from ground truth and prediction), in label order. */
    public LinkedHashMap<String, Double> perClassIou() {
        return byName(iou);
    }

    /** Label name -> recall (NaN for a class without ground-truth pixels), in label order. */
    public LinkedHashMap<String, Double> perClassAccuracy() {
        return byName(recall);
    }

    public List<String> labelNames() {
        return Collections.unmodifiableList(new ArrayList<>(labelNames));
    }

    public long numImages() {
        return numImages;
    }

    private LinkedHashMap<String, Double> byName(double[] values) {
        LinkedHashMap<String, Double> map = new LinkedHashMap<>();
        for (int c = 0; c < values.length; c++) {
            map.put(labelNames.get(c), values[c]);
        }
        return map;
    }

    static double nanMean(double[] values) {
        double sum = 0;
        int count = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public String toString() {
        Map<String, Double> iouByName = perClassIou();
        return "SegmentationMetrics{miou=" + miou() + ", pixelAccuracy=" + pixelAccuracy
                + ", meanAccuracy=" + meanAccuracy() + ", numImages=" + numImages + ", iou=" + iouByName + "}";
    }
}
