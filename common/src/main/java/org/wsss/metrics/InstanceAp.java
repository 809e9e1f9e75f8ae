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

    /** One prediction after matching: its class, score and whether it matched a ground-truth instance. */
    public record Match(int classIndex, double score, boolean truePositive) implements java.io.Serializable {
    }

    /**
     * One image's predictions matched to its ground truth, highest score first: a prediction is a true positive when
     * its best-overlapping ground-truth instance of its class reaches the threshold and no higher-scored prediction
     * took it. Images are independent, so matching them apart gives the flags the global order would.
     */
    public static List<Match> match(List<Instance> predicted, List<Instance> truth, double iouThreshold) {
        List<Instance> order = new ArrayList<>(predicted);
        order.sort(Comparator.comparingDouble((Instance p) -> -p.score()));
        boolean[] taken = new boolean[truth.size()];
        List<Match> out = new ArrayList<>();
        for (Instance p : order) {
            int best = -1;
            double bestIou = -1;
            for (int g = 0; g < truth.size(); g++) {
                if (truth.get(g).classIndex() != p.classIndex()) {
                    continue;
                }
                double iou = iou(p.mask(), truth.get(g).mask());
                if (iou > bestIou) {
                    bestIou = iou;
                    best = g;
                }
            }
            boolean tp = best >= 0 && bestIou >= iouThreshold && !taken[best];
            if (tp) {
                taken[best] = true;
            }
            out.add(new Match(p.classIndex(), p.score(), tp));
        }
        return out;
    }

    /**
     * AP of classes 1..C (index c - 1) from every image's matches and the number of ground-truth instances per class
     * ({@code positives[c - 1]}).
     */
    public static double[] fromMatches(List<Match> matches, long[] positives) {
        double[] ap = new double[positives.length];
        for (int c = 1; c <= positives.length; c++) {
            if (positives[c - 1] == 0) {
                ap[c - 1] = Double.NaN;
                continue;
            }
            int cls = c;
            List<Match> mine = new ArrayList<>(matches.stream().filter(m -> m.classIndex() == cls).toList());
            mine.sort(Comparator.comparingDouble((Match m) -> -m.score()));
            double[] precision = new double[mine.size()];
            double[] recall = new double[mine.size()];
            int tp = 0;
            for (int k = 0; k < mine.size(); k++) {
                tp += mine.get(k).truePositive() ? 1 : 0;
                precision[k] = (double) tp / (k + 1);
                recall[k] = (double) tp / positives[c - 1];
            }
            ap[c - 1] = area(precision, recall);
        }
        return ap;
    }

    /** AP of classes 1..numClasses (index c - 1) over images given as parallel lists. */
    public static double[] perClass(List<List<Instance>> predicted, List<List<Instance>> truth, int numClasses,
                                    double iouThreshold) {
        if (predicted.size() != truth.size()) {
            throw new IllegalArgumentException("InstanceAp: " + predicted.size() + " predicted images against "
                    + truth.size() + " ground-truth images");
        }
        List<Match> matches = new ArrayList<>();
        long[] positives = new long[numClasses];
        for (int i = 0; i < truth.size(); i++) {
            matches.addAll(match(predicted.get(i), truth.get(i), iouThreshold));
            for (Instance g : truth.get(i)) {
                positives[g.classIndex() - 1]++;
            }
        }
        return fromMatches(matches, positives);
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
