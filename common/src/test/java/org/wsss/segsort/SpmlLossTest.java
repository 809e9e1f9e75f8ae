package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.wsss.seg.LossGradients;

class SpmlLossTest {

    private static final ActivationIdentity IDENTITY = new ActivationIdentity();
    private static final SpmlLoss.Term OFF = new SpmlLoss.Term(1, 0);

    private static SpmlLoss loss(SpmlLoss.Term ann, SpmlLoss.Term occ, SpmlLoss.Term sim, int side, int iterations,
                                 int banks, int width, int tags) {
        return new SpmlLoss(ann, occ, sim, new PixelSorting.Params(side, iterations), banks, width, tags);
    }

    @Test
    void imageSimilarityPullsACellToItsOwnSuperpixelOnlyByHand() {
        // one image, a 1x2 map, two starting clusters (one per cell, no iteration), both cells unlabelled, cell 0 in
        // superpixel 0 and cell 1 in superpixel 1: each cell's own segment is its only related one, the other its
        // negative: l = log(1 + exp(k (e0 . e1 - 1))) for both cells, times the weight 0.1
        double kappa = 16;
        double[] e0 = {1, 0};
        double[] e1 = {0.6, 0.8};
        INDArray z = Nd4j.createFromArray(new double[][]{{2, 0.6, 0, 0.8}});
        INDArray labels = Nd4j.createFromArray(new double[][]{{255, 255, 0, 1, 1}});
        double l = Math.log1p(Math.exp(kappa * (dot(e0, e1) - 1)));
        SpmlLoss f = loss(OFF, OFF, new SpmlLoss.Term(kappa, 0.1), 2, 0, 0, 2, 1);
        assertEquals(0.1 * l, f.computeScore(labels, z, IDENTITY, null, true), 1e-12);
    }

    @Test
    void coOccurrenceRelatesImagesThatShareATagByHand() {
        // three 1x1 images tagged {A}, {A, B}, {B}... and a fourth tagged {C}: a shares A with b only, b shares with
        // a and c, c with b only, d with none (its own segment is its positive)
        double kappa = 8;
        double[][] e = {{1, 0}, {Math.cos(0.4), Math.sin(0.4)}, {0, 1}, {-1, 0}};
        INDArray z = Nd4j.createFromArray(e);
        INDArray labels = Nd4j.createFromArray(new double[][]{
                {255, 0, 1, 0, 0}, {255, 0, 1, 1, 0}, {255, 0, 0, 1, 0}, {255, 0, 0, 0, 1}});
        double[][] s = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                s[i][j] = Math.exp(kappa * dot(e[i], e[j]));
            }
        }
        double la = -Math.log(s[0][1] / (s[0][1] + s[0][2] + s[0][3]));
        double lb = -Math.log((s[1][0] + s[1][2]) / (s[1][0] + s[1][2] + s[1][3]));
        double lc = -Math.log(s[2][1] / (s[2][1] + s[2][0] + s[2][3]));
        double ld = -Math.log(s[3][3] / (s[3][3] + s[3][0] + s[3][1] + s[3][2]));
        SpmlLoss f = loss(OFF, new SpmlLoss.Term(kappa, 0.3), OFF, 1, 0, 0, 1, 3);
        assertEquals(0.3 * (la + lb + lc + ld) / 4, f.computeScore(labels, z, IDENTITY, null, true), 1e-12);
    }

    @Test
    void semanticAnnotationAloneIsTheSegmentSortingLossWhenEveryCellIsLabelled() {
        // with every cell labelled and one superpixel per image, SPML sorts the same cells into the same segments as
        // SegSort, and its annotation term (weight 1) is SegSort's loss
        Random r = new Random(21);
        for (int trial = 0; trial < 5; trial++) {
            int rows = 3;
            int cells = 16;
            int depth = 3;
            double[][] z = new double[rows][depth * cells];
            double[][] semantic = new double[rows][cells];
            double[][] spml = new double[rows][2 * cells + 2];
            for (int n = 0; n < rows; n++) {
                for (int i = 0; i < z[n].length; i++) {
                    z[n][i] = r.nextGaussian();
                }
                for (int c = 0; c < cells; c++) {
                    semantic[n][c] = r.nextInt(3);
                    spml[n][c] = semantic[n][c];
                    spml[n][cells + c] = 0;
                }
                spml[n][2 * cells] = 1;
            }
            SpmlLoss f = loss(new SpmlLoss.Term(5, 1), OFF, OFF, 2, 10, 0, 0, 2);
            SegmentSortingLoss g = new SegmentSortingLoss(5, new PixelSorting.Params(2, 10), 0, 0);
            INDArray zz = Nd4j.createFromArray(z);
            assertEquals(g.computeScore(Nd4j.createFromArray(semantic), zz, IDENTITY, null, true),
                    f.computeScore(Nd4j.createFromArray(spml), zz, IDENTITY, null, true), 1e-12);
        }
    }

    @Test
    void paddingTakesNoPart() {
        // a 1x3 map whose last cell is padding (superpixel 255) scores as the 1x2 map of the first two
        SpmlLoss.Term on = new SpmlLoss.Term(6, 0.3);
        INDArray z3 = Nd4j.createFromArray(new double[][]{{3, 0, 7, 0, 0.5, -2}});
        INDArray l3 = Nd4j.createFromArray(new double[][]{{0, 1, 255, 0, 1, 255, 1}});
        INDArray z2 = Nd4j.createFromArray(new double[][]{{3, 0, 0, 0.5}});
        INDArray l2 = Nd4j.createFromArray(new double[][]{{0, 1, 0, 1, 1}});
        assertEquals(loss(on, on, on, 1, 10, 0, 2, 1).computeScore(l2, z2, IDENTITY, null, true),
                loss(on, on, on, 1, 10, 0, 3, 1).computeScore(l3, z3, IDENTITY, null, true), 1e-12);
        INDArray gradient = loss(on, on, on, 1, 10, 0, 3, 1).computeGradient(l3, z3, IDENTITY, null);
        assertEquals(0, gradient.getDouble(0, 2));
        assertEquals(0, gradient.getDouble(0, 5));
    }

    @Test
    void gradientOfAllThreeTermsMatchesCentralDifferencesWithMemory() {
        Random r = new Random(8);
        SpmlLoss f = loss(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.3), new SpmlLoss.Term(16, 0.1), 2, 10, 2,
                0, 3);
        for (int i = 0; i < 2; i++) {
            f.computeGradient(labels(r, 3, 16, 3), embeddings(r, 3, 3, 16), IDENTITY, null);
        }
        assertTrue(f.memory()[0].contents(3).count() > 0, "memory prototypes take part");
        LossGradients.assertMatchesCentralDifferences(f, labels(r, 3, 16, 3), embeddings(r, 3, 3, 16), IDENTITY,
                null);
    }

    @Test
    void settingsSurviveTheConfigurationsJsonAndBadOnesAreNamed() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        SpmlLoss f = loss(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.2), new SpmlLoss.Term(16, 0.1), 6, 10, 2,
                0, 20);
        assertEquals(f, mapper.readValue(mapper.writeValueAsString(f), ILossFunction.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SpmlLoss.Term(0, 1));
        assertEquals("SPML term: concentration must be a finite number > 0 and weight a finite number >= 0, got 0.0 "
                + "and 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss(OFF, OFF, OFF, 1, 1, 0, 0, 2).computeScore(
                Nd4j.zeros(1, 5), Nd4j.ones(1, 4), IDENTITY, null, false));
        assertEquals("SpmlLoss: labels of width 5 are not 2 x cells + 2 tags", e.getMessage());
    }

    /** Semantic labels (some 255), superpixels (a few per image), tags (at least one per image). */
    private static INDArray labels(Random r, int n, int cells, int tags) {
        double[][] l = new double[n][2 * cells + tags];
        for (double[] row : l) {
            for (int c = 0; c < cells; c++) {
                row[c] = r.nextInt(5) == 0 ? 255 : r.nextInt(3);
                row[cells + c] = r.nextInt(4);
            }
            row[2 * cells + r.nextInt(tags)] = 1;
            row[2 * cells + r.nextInt(tags)] = 1;
        }
        return Nd4j.createFromArray(l);
    }

    private static INDArray embeddings(Random r, int n, int depth, int cells) {
        double[][] z = new double[n][depth * cells];
        for (double[] row : z) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextGaussian();
            }
        }
        return Nd4j.createFromArray(z);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1];
    }
}
