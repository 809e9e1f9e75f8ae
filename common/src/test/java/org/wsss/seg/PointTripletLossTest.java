package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PointTripletLossTest {

    private static final IActivation IDENTITY = new ActivationIdentity();

    @Test
    void oneCrossImageTripletByHand() {
        // D = 2, 3 cells per image. Image 0: A (class 1) at cell 0. Image 1: B (class 1) at cell 1, C (class 2) at 2.
        // Only triplet: (A, B, C). B and C have no partner pair in image 0 (it has no class-2 point / no negative).
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 255, 255}, {255, 1, 2}});
        INDArray emb = Nd4j.createFromArray(new double[][]{
                {0, 9, 9, /* d=1 */ 0, 9, 9},
                {9, 3, 6, /* d=1 */ 9, 4, 8}});
        // |A-B| = 5, |A-C| = 10: L = 0.8 * 5 + max(5 - 10 + 20, 0) = 19
        PointTripletLoss loss = new PointTripletLoss();
        assertEquals(19, loss.computeScore(labels, emb, IDENTITY, null, true), 1e-9);
        INDArray rows = loss.computeScoreArray(labels, emb, IDENTITY, null);
        assertEquals(38, rows.getDouble(0, 0), 1e-9, "N * L booked to the anchor's image");
        assertEquals(0, rows.getDouble(1, 0), 1e-9);
        // margin 2: the hinge is inactive and only alpha * |A-B| remains
        assertEquals(4, new PointTripletLoss(2, 0.8, 1).computeScore(labels, emb, IDENTITY, null, true), 1e-9);
    }

    @Test
    void pointsOfOneImageNeverFormTriplets() {
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 1, 2}, {255, 255, 255}});
        INDArray emb = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 6);
        PointTripletLoss loss = new PointTripletLoss();
        assertEquals(0.0, loss.computeScore(labels, emb, IDENTITY, null, false));
        assertEquals(0.0, loss.computeGradient(labels, emb, IDENTITY, null).norm1Number().doubleValue());
    }

    /** The definition, triplet by triplet over all (anchor, positive, negative) index triples. */
    private static double bruteForce(double[][] lab, double[][] emb, int depth, double margin, double alpha,
                                     double beta) {
        int cells = lab[0].length;
        double sum = 0;
        int count = 0;
        for (int a = 0; a < lab.length; a++) {
            for (int i = 0; i < cells; i++) {
                for (int b = 0; b < lab.length; b++) {
                    for (int j = 0; j < cells; j++) {
                        for (int k = 0; k < cells; k++) {
                            if (a == b || lab[a][i] == 255 || lab[b][j] == 255 || lab[b][k] == 255
                                    || lab[a][i] != lab[b][j] || lab[a][i] == lab[b][k]) {
                                continue;
                            }
                            double dp = dist(emb[a], i, emb[b], j, depth, cells);
                            double dn = dist(emb[a], i, emb[b], k, depth, cells);
                            sum += alpha * dp + beta * Math.max(dp - dn + margin, 0);
                            count++;
                        }
                    }
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    private static double dist(double[] e1, int c1, double[] e2, int c2, int depth, int cells) {
        double s = 0;
        for (int d = 0; d < depth; d++) {
            double diff = e1[d * cells + c1] - e2[d * cells + c2];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    @Test
    void scoreMatchesBruteForceAndGradientMatchesCentralDifferences() {
        Random random = new Random(21);
        int n = 3;
        int cells = 6;
        int depth = 3;
        double[][] lab = new double[n][cells];
        double[][] emb = new double[n][depth * cells];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < cells; p++) {
                lab[b][p] = random.nextInt(2) == 0 ? 255 : 1 + random.nextInt(3);
            }
            for (int i = 0; i < emb[b].length; i++) {
                emb[b][i] = random.nextGaussian();
            }
        }
        // margin 1 on unit-scale embeddings: some hinges are active, some not
        PointTripletLoss loss = new PointTripletLoss(1, 0.8, 1);
        double expected = bruteForce(lab, emb, depth, 1, 0.8, 1);
        assertTrue(expected > 0);
        assertEquals(expected, loss.computeScore(Nd4j.createFromArray(lab), Nd4j.createFromArray(emb), IDENTITY,
                null, true), 1e-9);
        for (IActivation activation : new IActivation[]{IDENTITY, new ActivationTanH()}) {
            LossGradients.assertMatchesCentralDifferences(loss, Nd4j.createFromArray(lab),
                    Nd4j.createFromArray(emb), activation, null);
        }
    }
}
