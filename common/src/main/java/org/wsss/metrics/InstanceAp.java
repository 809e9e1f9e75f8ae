package org.wsss.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Instance segmentation average precision at one mask-IoU threshold, as PASCAL VOC (chainercv's
 * eval_instance_segmentation_voc, which irn reports at IoU 0.5): per class, all images' predictions sorted by score,
 * each a true positive when its best-overlapping unmatched ground-truth instance of its class in its image reaches
 * the threshold, else a false positive; AP is the area under the precision envelope (all points, VOC 2010 on). A
 * class without ground-truth instances has AP NaN; mAP is the mean over the others.
 */
public final class InstanceAp {

    /** One instance mask of one image (true inside), with its class 1..C and, for predictions, a score. */
    public record Instance(int classIndex, double score, boolean[] mask) {
    }

    private InstanceAp() {
    }

    /** AP of classes 1..numClasses (index c - 1) over images given as parallel lists. */
    public static double[] perClass(List<List<Instance>> predicted, List<List<Instance>> truth, int numClasses,
                                    double iouThreshold) {
        if (predicted.size() != truth.size()) {
            throw new IllegalArgumentException("InstanceAp: " + predicted.size() + " predicted images against "
                    + truth.size() + " ground-truth images");
        }
        double[] ap = new double[numClasses];
        for (int c = 1; c <= numClasses; c++) {
            record Scored(int image, Instance instance) {
            }
            List<Scored> preds = new ArrayList<>();
            int positives = 0;
            List<boolean[]> matched = new ArrayList<>();
            for (int i = 0; i < truth.size(); i++) {
                for (Instance p : predicted.get(i)) {
                    if (p.classIndex() == c) {
                        preds.add(new Scored(i, p));
                    }
                }
                int n = 0;
                for (Instance g : truth.get(i)) {
                    n += g.classIndex() == c ? 1 : 0;
                }
                positives += n;
                matched.add(new boolean[truth.get(i).size()]);
            }
            if (positives == 0) {
                ap[c - 1] = Double.NaN;
                continue;
            }
            preds.sort(Comparator.comparingDouble((Scored s) -> -s.instance().score()));
            int tp = 0;
            int fp = 0;
            double[] precision = new double[preds.size()];
            double[] recall = new double[preds.size()];
            for (int k = 0; k < preds.size(); k++) {
                Scored s = preds.get(k);
                List<Instance> gts = truth.get(s.image());
                int best = -1;
                double bestIou = -1;
                for (int g = 0; g < gts.size(); g++) {
                    if (gts.get(g).classIndex() != c) {
                        continue;
                    }
                    double iou = iou(s.instance().mask(), gts.get(g).mask());
                    if (iou > bestIou) {
                        bestIou = iou;
                        best = g;
                    }
                }
                if (best >= 0 && bestIou >= iouThreshold && !matched.get(s.image())[best]) {
                    matched.get(s.image())[best] = true;
                    tp++;
                } else {
                    fp++;
                }
                precision[k] = (double) tp / (tp + fp);
                recall[k] = (double) tp / positives;
            }
            ap[c - 1] = area(precision, recall);
        }
        return ap;
    }

    /** Mean of the non-NaN APs (NaN when every class is). */
    public static double mean(double[] ap) {
        double sum = 0;
        int n = 0;
        for (double a : ap) {
            if (!Double.isNaN(a)) {
                sum += a;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static double iou(boolean[] a, boolean[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("InstanceAp: masks of " + a.length + " and " + b.length + " pixels");
        }
        int inter = 0;
        int union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += a[i] && b[i] ? 1 : 0;
            union += a[i] || b[i] ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    /** VOC's all-point AP: precision made non-increasing from the right, summed over the recall steps. */
    static double area(double[] precision, double[] recall) {
        int n = precision.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[n + 1] = 1;
        for (int i = 0; i < n; i++) {
            mrec[i + 1] = recall[i];
            mpre[i + 1] = precision[i];
        }
        for (int i = n; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double ap = 0;
        for (int i = 1; i <= n + 1; i++) {
            if (mrec[i] != mrec[i - 1]) {
                ap += (mrec[i] - mrec[i - 1]) * mpre[i];
            }
        }
        return ap;
    }
}
