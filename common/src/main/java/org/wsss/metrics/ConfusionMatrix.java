package org.wsss.metrics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Pixel confusion matrix over {@code numLabels} labels (background + C classes), rows = ground truth,
 * columns = prediction. Serializable and mergeable so Spark tasks can build partial matrices and the
 * driver can sum them.
 *
 * <p>Ground truth 255 ({@link #IGNORE}) is skipped. A predicted value outside {@code [0, numLabels)}
 * (for example 255, "uncertain", in pseudo-labels) is counted as a <em>miss</em> of the ground-truth
 * class: it is a false negative of that class (lowers its recall and IoU) but a false positive of no
 * class. Such pixels are kept in {@link #unassigned(int)}, not in {@link #count(int, int)}; they count
 * as pixels in pixel accuracy (as wrong ones).
 */
public final class ConfusionMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Ground-truth value that marks a pixel as not evaluated. */
    public static final int IGNORE = 255;

    private final int numLabels;
    private final long[] counts;      // row-major numLabels x numLabels: [gt * numLabels + pred]
    private final long[] unassigned;  // per gt class: pixels whose prediction is out of range

    public ConfusionMatrix(int numLabels) {
        if (numLabels < 1 || numLabels > IGNORE) {
            throw new IllegalArgumentException("numLabels must be in [1, 255], got " + numLabels);
        }
        this.numLabels = numLabels;
        this.counts = new long[numLabels * numLabels];
        this.unassigned = new long[numLabels];
    }

    public int numLabels() {
        return numLabels;
    }

    /** Adds one image (or any run of pixels); values are read as unsigned bytes. */
    public void add(byte[] pred, byte[] gt) {
        checkLengths(pred.length, gt.length);
        for (int i = 0; i < gt.length; i++) {
            addPixel(pred[i] & 0xff, gt[i] & 0xff, i);
        }
    }

    /** Same as {@link #add(byte[], byte[])} for int labels; a negative prediction is out of range too. */
    public void add(int[] pred, int[] gt) {
        checkLengths(pred.length, gt.length);
        for (int i = 0; i < gt.length; i++) {
            addPixel(pred[i], gt[i], i);
        }
    }

    /**
     * Adds an image that has ground truth but no prediction (the stage that predicts skipped or quarantined it):
     * every non-ignored pixel is a miss of its class, a false negative and a wrong pixel, a false positive of none.
     */
    public void addUnpredicted(byte[] gt) {
        for (int i = 0; i < gt.length; i++) {
            addPixel(-1, gt[i] & 0xff, i);
        }
    }

    private void checkLengths(int predLength, int gtLength) {
        if (predLength != gtLength) {
            throw new IllegalArgumentException(
                    "prediction has " + predLength + " pixels but ground truth has " + gtLength);
        }
    }

    private void addPixel(int p, int g, int index) {
        if (g == IGNORE) {
            return;
        }
        if (g < 0 || g >= numLabels) {
            throw new IllegalArgumentException("ground-truth value " + g + " at pixel " + index
                    + " is neither a label in [0, " + numLabels + ") nor ignore (255)");
        }
        if (p >= 0 && p < numLabels) {
            counts[g * numLabels + p]++;
        } else {
            unassigned[g]++;
        }
    }

    /** A new matrix holding the sum of two (both left unchanged): a fold/reduce step over Spark tasks' matrices. */
    public static ConfusionMatrix sum(ConfusionMatrix a, ConfusionMatrix b) {
        ConfusionMatrix c = new ConfusionMatrix(a.numLabels);
        c.merge(a);
        c.merge(b);
        return c;
    }

    /** Sums another matrix (e.g. from another Spark task) into this one. */
    public void merge(ConfusionMatrix other) {
        if (other.numLabels != numLabels) {
            throw new IllegalArgumentException(
                    "cannot merge a " + other.numLabels + "-label matrix into a " + numLabels + "-label matrix");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        for (int i = 0; i < numLabels; i++) {
            unassigned[i] += other.unassigned[i];
        }
    }

    /** Pixels with ground truth {@code gt} predicted as {@code pred}; both in [0, numLabels). */
    public long count(int gt, int pred) {
        checkLabel("gt", gt);
        checkLabel("pred", pred);
        return counts[gt * numLabels + pred];
    }

    /** Pixels with ground truth {@code gt} whose prediction was outside [0, numLabels). */
    public long unassigned(int gt) {
        checkLabel("gt", gt);
        return unassigned[gt];
    }

    /** All pixels with ground truth {@code gt}, including unassigned ones. */
    public long gtTotal(int gt) {
        checkLabel("gt", gt);
        long sum = unassigned[gt];
        for (int p = 0; p < numLabels; p++) {
            sum += counts[gt * numLabels + p];
        }
        return sum;
    }

    /** All pixels predicted as {@code pred} (among evaluated, non-ignored pixels). */
    public long predTotal(int pred) {
        checkLabel("pred", pred);
        long sum = 0;
        for (int g = 0; g < numLabels; g++) {
            sum += counts[g * numLabels + pred];
        }
        return sum;
    }

    /** All evaluated pixels (not ignored), including unassigned ones. */
    public long total() {
        return Arrays.stream(counts).sum() + Arrays.stream(unassigned).sum();
    }

    /** A copy of the in-range counts, {@code [gt][pred]}. */
    public long[][] counts() {
        long[][] copy = new long[numLabels][];
        for (int g = 0; g < numLabels; g++) {
            copy[g] = Arrays.copyOfRange(counts, g * numLabels, (g + 1) * numLabels);
        }
        return copy;
    }

    private void checkLabel(String role, int label) {
        if (label < 0 || label >= numLabels) {
            throw new IndexOutOfBoundsException(role + " label " + label + " is outside [0, " + numLabels + ")");
        }
    }
}
