package org.wsss.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.wsss.nn.BalancedSigmoidLoss;

/**
 * Tells whether a classifier barely fits its own training images: its last epoch's training loss is still close to
 * the loss of the best constant answer (one score per class, the same for every image), which needs no image at
 * all. A small net trained from scratch on a few hundred photos sits there for the first hundreds of averaging
 * rounds while its holdout F1 hovers around chance; that reads like "cannot learn these photos" when the schedule
 * is simply too short, so it is reported with the numbers that tell the two apart.
 */
public final class UnderfitCheck {

    /** Golden-section steps: the bracket shrinks by 0.618 a step, far below float resolution after 200. */
    private static final int SEARCH_STEPS = 200;
    private static final double EPS = 1e-12;

    public record Verdict(boolean underfit, double trainLoss, double constantLoss, double ratio, double maxRatio,
                          String message) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("underfit", underfit);
            m.put("train_loss", trainLoss);
            m.put("constant_answer_loss", constantLoss);
            m.put("ratio", ratio);
            m.put("max_ratio", maxRatio);
            m.put("message", message);
            return m;
        }
    }

    private UnderfitCheck() {
    }

    /**
     * Per-image loss of the best constant answer under the weighted, optionally focal, sigmoid cross-entropy
     * {@code -(w_c y (1-q)^g log q + (1-y) q^g log(1-q))} summed over classes: for each class the score q that
     * minimises the mean over images with the class's positive share p = positives / images (closed form
     * q = w p / (w p + 1 - p) when g = 0, a golden-section search otherwise: a falling positive term plus a rising
     * negative one, a single dip in the cases UnderfitCheckTest compares with a brute-force grid).
     *
     * @param loss      the loss whose weights w_c (none: 1 everywhere, plain cross-entropy) and gamma g apply
     * @param positives images tagged with each class
     * @param images    images the shares are taken over
     */
    public static double constantAnswerLoss(BalancedSigmoidLoss loss, long[] positives, long images) {
        if (images <= 0) {
            throw new IllegalArgumentException("images must be > 0, got " + images);
        }
        double[] positiveWeights = loss.getPositiveWeights();
        double gamma = loss.getGamma();
        if (positiveWeights.length != 0 && positiveWeights.length != positives.length) {
            throw new IllegalArgumentException(positiveWeights.length + " positive weights for " + positives.length
                    + " classes");
        }
        double total = 0;
        for (int c = 0; c < positives.length; c++) {
            if (positives[c] < 0 || positives[c] > images) {
                throw new IllegalArgumentException("class " + c + " has " + positives[c] + " positives among "
                        + images + " images");
            }
            double w = positiveWeights.length == 0 ? 1 : positiveWeights[c];
            double p = positives[c] / (double) images;
            if (p == 0 || p == 1) {
                continue; // a class on no image (or on every image) is answered exactly by q -> 0 (or 1)
            }
            total += gamma == 0 ? termAt(w * p / (w * p + 1 - p), w, p, 0) : searchMinimum(w, p, gamma);
        }
        return total;
    }

    /**
     * @param trainLoss    the last epoch's mean training loss per image
     * @param constantLoss {@link #constantAnswerLoss} of the same loss and tags
     * @param maxRatio     flagged when trainLoss / constantLoss is above this; 0 turns the check off
     */
    public static Verdict check(double trainLoss, double constantLoss, double maxRatio) {
        if (!(maxRatio >= 0)) {
            throw new IllegalArgumentException("maxRatio must be >= 0, got " + maxRatio);
        }
        // constantLoss 0: every class is on no image or on all of them, so there is nothing to compare with; a NaN
        // train loss fits nothing and is flagged
        double ratio = constantLoss > 0 ? trainLoss / constantLoss : Double.NaN;
        boolean underfit = maxRatio > 0 && constantLoss > 0 && !(ratio <= maxRatio);
        String message = underfit
                ? String.format(Locale.ROOT, "classifier.underfit: the last epoch's train loss %.4f is %.2f of the "
                        + "loss of the best constant answer (%.4f, the same score for every image), over %.2f: the "
                        + "net barely fits its own training images yet. A net trained from scratch on a few hundred "
                        + "images needs hundreds of averaging rounds; raise classifier.epochs (or use "
                        + "classifier.pretrained).", trainLoss, ratio, constantLoss, maxRatio)
                : String.format(Locale.ROOT, "the last epoch's train loss %.4f is %.2f of the constant answer's "
                        + "%.4f", trainLoss, ratio, constantLoss);
        return new Verdict(underfit, trainLoss, constantLoss, ratio, maxRatio, message);
    }

    private static double searchMinimum(double w, double p, double gamma) {
        double lo = EPS;
        double hi = 1 - EPS;
        double r = (Math.sqrt(5) - 1) / 2;
        double a = hi - r * (hi - lo);
        double b = lo + r * (hi - lo);
        double fa = termAt(a, w, p, gamma);
        double fb = termAt(b, w, p, gamma);
        for (int i = 0; i < SEARCH_STEPS; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - r * (hi - lo);
                fa = termAt(a, w, p, gamma);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + r * (hi - lo);
                fb = termAt(b, w, p, gamma);
            }
        }
        return Math.min(fa, fb);
    }

    /** Mean loss of answering q for a class with positive share p and positive weight w. */
    private static double termAt(double q, double w, double p, double gamma) {
        return -(w * p * Math.pow(1 - q, gamma) * Math.log(q) + (1 - p) * Math.pow(q, gamma) * Math.log(1 - q));
    }
}
