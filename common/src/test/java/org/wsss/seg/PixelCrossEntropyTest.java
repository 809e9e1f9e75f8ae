package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PixelCrossEntropyTest {

    private static final IActivation IDENTITY = new ActivationIdentity();

    @Test
    void scoreIsThePerImageMeanOverLabelledPixelsAveragedOverImages() {
        // two images, K = 2 classes, 3 cells each; logits laid out (k, cell) per row
        // image 0: cells labelled 0, 255, 1; image 1: cell 1 labelled 1, others ignored
        INDArray labels = Nd4j.createFromArray(new double[][]{{0, 255, 1}, {255, 1, 255}});
        INDArray logits = Nd4j.createFromArray(new double[][]{
                {2, 5, 0, /* k=1 */ 0, -1, 1},
                {0, 0, 0, /* k=1 */ 7, 3, 0}});
        double c0 = Math.log(1 + Math.exp(-2));      // -log softmax(2, 0)[0]
        double c2 = Math.log(Math.exp(0) + Math.exp(1)) - 1;
        double c4 = Math.log(1 + Math.exp(3)) - 3;
        double image0 = (c0 + c2) / 2;
        double image1 = c4;
        PixelCrossEntropy loss = new PixelCrossEntropy();
        assertEquals((image0 + image1) / 2, loss.computeScore(labels, logits, IDENTITY, null, true), 1e-12);
        INDArray rows = loss.computeScoreArray(labels, logits, IDENTITY, null);
        assertEquals(image0, rows.getDouble(0, 0), 1e-12);
        assertEquals(image1, rows.getDouble(1, 0), 1e-12);
    }

    @Test
    void imageWithoutLabelsNeitherDilutesTheMeanNorGetsGradient() {
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 255}, {255, 255}});
        INDArray logits = Nd4j.createFromArray(new double[][]{{0, 0, 1, 0}, {3, 1, 2, 2}});
        double only = Math.log(1 + Math.E) - 1;
        PixelCrossEntropy loss = new PixelCrossEntropy();
        // the minibatch mean is over the one labelled image; DL4J's "average" divides the summed N * L by N = 2
        assertEquals(only, loss.computeScore(labels, logits, IDENTITY, null, true), 1e-12);
        INDArray gradient = loss.computeGradient(labels, logits, IDENTITY, null);
        assertEquals(0.0, gradient.getRow(1).norm1Number().doubleValue());
    }

    @Test
    void ignoredPixelsGetExactlyZeroGradientInEveryPlane() {
        Random random = new Random(3);
        int cells = 6;
        int k = 3;
        double[][] lab = {{0, 255, 2, 255, 1, 255}, {255, 255, 1, 0, 255, 2}};
        double[][] pre = new double[2][k * cells];
        for (double[] row : pre) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextGaussian() * 2;
            }
        }
        INDArray gradient = new PixelCrossEntropy().computeGradient(Nd4j.createFromArray(lab),
                Nd4j.createFromArray(pre), IDENTITY, null);
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < cells; p++) {
                for (int c = 0; c < k; c++) {
                    double g = gradient.getDouble(n, c * cells + p);
                    if (lab[n][p] == 255) {
                        assertEquals(0.0, g, "image " + n + " cell " + p + " class " + c);
                    } else {
                        assertTrue(g != 0, "labelled cell " + p + " of image " + n + " gets gradient");
                    }
                }
            }
        }
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random random = new Random(9);
        int cells = 5;
        int k = 4;
        double[][] lab = new double[3][cells];
        double[][] pre = new double[3][k * cells];
        for (int n = 0; n < 3; n++) {
            for (int p = 0; p < cells; p++) {
                lab[n][p] = random.nextInt(3) == 0 ? 255 : random.nextInt(k);
            }
            for (int i = 0; i < k * cells; i++) {
                pre[n][i] = random.nextGaussian();
            }
        }
        // a per-cell mask that drops one more labelled cell must act like a 255 there
        double[][] mask = new double[3][cells];
        for (double[] row : mask) {
            java.util.Arrays.fill(row, 1);
        }
        mask[0][0] = 0;
        for (IActivation activation : new IActivation[]{IDENTITY, new ActivationTanH()}) {
            LossGradients.assertMatchesCentralDifferences(new PixelCrossEntropy(), Nd4j.createFromArray(lab),
                    Nd4j.createFromArray(pre), activation, null);
            LossGradients.assertMatchesCentralDifferences(new PixelCrossEntropy(), Nd4j.createFromArray(lab),
                    Nd4j.createFromArray(pre), activation, Nd4j.createFromArray(mask));
        }
        double[][] masked = lab.clone();
        masked[0] = lab[0].clone();
        masked[0][0] = 255;
        assertEquals(new PixelCrossEntropy().computeScore(Nd4j.createFromArray(masked), Nd4j.createFromArray(pre),
                        IDENTITY, null, false),
                new PixelCrossEntropy().computeScore(Nd4j.createFromArray(lab), Nd4j.createFromArray(pre), IDENTITY,
                        Nd4j.createFromArray(mask), false), 1e-12);
    }

    @Test
    void rejectsLabelsOutsideTheClassesAndMismatchedShapes() {
        INDArray logits = Nd4j.createFromArray(new double[][]{{0, 0, 1, 0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PixelCrossEntropy()
                .computeScore(Nd4j.createFromArray(new double[][]{{2, 0}}), logits, IDENTITY, null, true));
        assertTrue(e.getMessage().contains("expected a class 0..1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PixelCrossEntropy()
                .computeScore(Nd4j.createFromArray(new double[][]{{1, 0, 0}}), logits, IDENTITY, null, true));
    }
}
