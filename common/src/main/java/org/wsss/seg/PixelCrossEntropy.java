package org.wsss.seg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.nn.ExplicitGradientLoss;

/**
 * Softmax cross-entropy per labelled pixel, pixels labelled 255 ignored: dense pseudo-labels, PDML's point-wise
 * loss (Eq. 2: labels hold the class at annotated points and 255 elsewhere) and PDML's extended labels all use it.
 *
 * <p>Predictions are class scores (logits) [N, K*P] (K classes incl. background, P = h*w cells, see
 * {@link FlattenMapsLayer}), labels [N, P]. Following Eq. 1-2, each image's loss is the mean over its labelled
 * pixels, and the minibatch loss L the mean of that over the images with at least one labelled pixel. DL4J divides
 * the summed score (and the updater the gradient) by N, so the loss reports N * L; an image without labels adds
 * nothing and gets zero gradient.
 */
public class PixelCrossEntropy extends ExplicitGradientLoss {

    private static final String NAME = "PixelCrossEntropy";

    public PixelCrossEntropy() {
    }

    @Override
    protected Terms terms(INDArray labels, INDArray logits, INDArray mask, boolean withGradient) {
        int k = LossRows.planes(NAME, labels, logits);
        int rows = (int) labels.size(0);
        int cells = (int) labels.size(1);
        int[] codes = LossRows.codes(NAME, labels, mask, k - 1);
        double[] z = LossRows.flat(logits);
        int[] labelled = new int[rows];
        int imagesWithLabels = 0;
        for (int n = 0; n < rows; n++) {
            for (int p = 0; p < cells; p++) {
                if (codes[n * cells + p] != LossRows.IGNORE) {
                    labelled[n]++;
                }
            }
            imagesWithLabels += labelled[n] > 0 ? 1 : 0;
        }
        double[] rowScores = new double[rows];
        double[] gradient = withGradient ? new double[z.length] : null;
        double[] prob = new double[k];
        for (int n = 0; n < rows; n++) {
            if (labelled[n] == 0) {
                continue;
            }
            double weight = (double) rows / imagesWithLabels / labelled[n];
            int base = n * k * cells;
            for (int p = 0; p < cells; p++) {
                int label = codes[n * cells + p];
                if (label == LossRows.IGNORE) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, z[base + c * cells + p]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    prob[c] = Math.exp(z[base + c * cells + p] - max);
                    sum += prob[c];
                }
                rowScores[n] += weight * (max + Math.log(sum) - z[base + label * cells + p]);
                if (withGradient) {
                    for (int c = 0; c < k; c++) {
                        gradient[base + c * cells + p] = weight * (prob[c] / sum - (c == label ? 1 : 0));
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

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelCrossEntropy;
    }

    @Override
    public int hashCode() {
        return PixelCrossEntropy.class.hashCode();
    }

    @Override
    public String toString() {
        return NAME + "(ignore " + LossRows.IGNORE + ")";
    }
}
