package org.wsss.seg;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared argument handling of the per-image losses: labels [N, P] of codes, predictions [N, K*P]. */
public final class LossRows {

    /** Label value of a cell without a label. */
    public static final int IGNORE = 255;

    private LossRows() {
    }

    /** K, the planes per cell, after checking that predictions hold a whole number of planes of the labels' size. */
    public static int planes(String loss, INDArray labels, INDArray predictions) {
        if (labels.rank() != 2 || predictions.rank() != 2 || labels.size(0) != predictions.size(0)
                || labels.size(1) == 0 || predictions.size(1) % labels.size(1) != 0) {
            throw new IllegalArgumentException(loss + ": labels " + Arrays.toString(labels.shape())
                    + " must be [N, h*w] and predictions " + Arrays.toString(predictions.shape())
                    + " [N, K*h*w] (flattened NCHW maps, see FlattenMapsLayer)");
        }
        return (int) (predictions.size(1) / labels.size(1));
    }

    public static double[] flat(INDArray array) {
        return Nd4j.toFlattened('c', array).toDoubleVector();
    }

    /**
     * Label codes with masked-out cells turned into {@link #IGNORE}; the mask may be per cell [N, P] or per image
     * [N, 1]. Codes must be integers in [0, maxCode] or {@link #IGNORE}.
     */
    public static int[] codes(String loss, INDArray labels, INDArray mask, int maxCode) {
        int rows = (int) labels.size(0);
        int cols = (int) labels.size(1);
        double[] values = flat(labels);
        double[] keep = null;
        if (mask != null) {
            if (mask.rank() == 2 && mask.size(0) == rows && mask.size(1) == cols) {
                keep = flat(mask);
            } else if (mask.length() == rows) {
                double[] perRow = flat(mask);
                keep = new double[values.length];
                for (int i = 0; i < keep.length; i++) {
                    keep[i] = perRow[i / cols];
                }
            } else {
                throw new IllegalArgumentException(loss + ": mask " + Arrays.toString(mask.shape())
                        + " is neither [" + rows + ", " + cols + "] nor [" + rows + ", 1]");
            }
        }
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int code = (int) values[i];
            if (code != values[i] || (code != IGNORE && (code < 0 || code > maxCode))) {
                throw new IllegalArgumentException(loss + ": label at image " + i / cols + ", cell " + i % cols
                        + " is " + values[i] + "; expected a class 0.." + maxCode + " or " + IGNORE + " (unlabelled)");
            }
            codes[i] = keep != null && keep[i] == 0 ? IGNORE : code;
        }
        return codes;
    }
}
