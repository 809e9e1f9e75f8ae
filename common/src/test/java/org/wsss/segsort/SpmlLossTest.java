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
        return new SpmlLoss(new SpmlTerms(ann, occ, sim, OFF, 0.95), new PixelSorting.Params(side, iterations), banks,
                width, tags);
    }

    private static SpmlLoss affinityOnly(double kappa, double weight, double threshold, int width) {
        return new SpmlLoss(new SpmlTerms(OFF, OFF, OFF, new SpmlLoss.Term(kappa, weight), threshold),
                new PixelSorting.Params(1, 0), 0, width, 2);
    }

    @Test
    void featureAffinityLabelsAnUnlabelledSegmentByItsImagesNearestLabelledOneByHand() {
        // one image, a 1x3 map, each cell its own superpixel (so its own segment): cell 0 labelled 1, cell 1 labelled
        // 2, cell 2 unlabelled. Only cell 2 gets the term, with the label of the labelled segment nearest to it when
        // that cosine reaches the threshold: l = -log(s_near / (s_0 + s_1)), s_p = exp(k e2 . e_p)
        double kappa = 12;
        double[] e0 = {1, 0};
        double[] e1 = {0, 1};
        double[] near0 = {Math.cos(0.2), Math.sin(0.2)};
        double[] near1 = {Math.cos(1.3), Math.sin(1.3)};
        INDArray labels = Nd4j.createFromArray(new double[][]{{1, 2, 255, 0, 1, 2, 1, 1}});
        for (double[] e2 : new double[][]{near0, near1}) {
            INDArray z = Nd4j.createFromArray(new double[][]{{3 * e0[0], 2 * e1[0], 0.5 * e2[0], 3 * e0[1], 2 * e1[1],
                    0.5 * e2[1]}});
            double s0 = Math.exp(kappa * dot(e2, e0));
            double s1 = Math.exp(kappa * dot(e2, e1));
            double l = -Math.log((e2 == near0 ? s0 : s1) / (s0 + s1));
            assertEquals(0.5 * l, affinityOnly(kappa, 0.5, 0.95, 3).computeScore(labels, z, IDENTITY, null, true),
                    1e-12);
        }
        // cos(0.4) = 0.92 from its nearest labelled segment: below 0.95, cell 2 stays unlabelled and nothing is scored
        INDArray far = Nd4j.createFromArray(new double[][]{{3, 0, Math.cos(0.4), 0, 2, Math.sin(0.4)}});
        assertEquals(0, affinityOnly(kappa, 0.5, 0.95, 3).computeScore(labels, far, IDENTITY, null, true));
        assertTrue(affinityOnly(kappa, 0.5, 0.9, 3).computeScore(labels, far, IDENTITY, null, true) > 0);
    }

    @Test
    void featureAffinityLooksOnlyWithinTheSegmentsOwnImage() {
        // image 0: an unlabelled cell along (1, 0) beside a labelled cell along (0, 1); image 1: a cell along (1, 0)
        // labelled 1. The nearest labelled segment across the minibatch is image 1's, but within image 0 it is at
        // cosine 0: nothing is propagated
        INDArray labels = Nd4j.createFromArray(new double[][]{{255, 2, 0, 1, 1, 1}, {1, 1, 0, 0, 1, 0}});
        INDArray z = Nd4j.createFromArray(new double[][]{{1, 0, 0, 1}, {1, 1, 0, 0}});
        assertEquals(0, affinityOnly(12, 1, 0.95, 2).computeScore(labels, z, IDENTITY, null, true));
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
    void gradientOfAllFourTermsMatchesCentralDifferencesWithMemory() {
        // threshold -1: every unlabelled segment of an image with a labelled one takes feature affinity's term
        Random r = new Random(9);
        SpmlLoss f = new SpmlLoss(new SpmlTerms(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.3),
                new SpmlLoss.Term(16, 0.1), new SpmlLoss.Term(12, 0.5), -1), new PixelSorting.Params(2, 10), 2, 0, 3);
        for (int i = 0; i < 2; i++) {
            f.computeGradient(labels(r, 3, 16, 3), embeddings(r, 3, 3, 16), IDENTITY, null);
        }
        INDArray labels = labels(r, 3, 16, 3);
        INDArray z = embeddings(r, 3, 3, 16);
        SpmlLoss withoutAffinity = new SpmlLoss(new SpmlTerms(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.3),
                new SpmlLoss.Term(16, 0.1), new SpmlLoss.Term(12, 0), -1), new PixelSorting.Params(2, 10), 0, 0, 3);
        SpmlLoss noMemory = new SpmlLoss(new SpmlTerms(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.3),
                new SpmlLoss.Term(16, 0.1), new SpmlLoss.Term(12, 0.5), -1), new PixelSorting.Params(2, 10), 0, 0, 3);
        assertTrue(noMemory.computeScore(labels, z, IDENTITY, null, false)
                > withoutAffinity.computeScore(labels, z, IDENTITY, null, false), "the affinity term takes part");
        LossGradients.assertMatchesCentralDifferences(f, labels, z, IDENTITY, null);
    }

    @Test
    void settingsSurviveTheConfigurationsJsonAndBadOnesAreNamed() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        SpmlLoss f = new SpmlLoss(new SpmlTerms(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.2),
                new SpmlLoss.Term(16, 0.1), new SpmlLoss.Term(12, 0.5), 0.9), new PixelSorting.Params(6, 10), 2, 0, 20);
        assertEquals(f, mapper.readValue(mapper.writeValueAsString(f), ILossFunction.class));
        assertTrue(!f.equals(loss(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.2), new SpmlLoss.Term(16, 0.1), 6,
                10, 2, 0, 20)), "the affinity settings are part of the loss");
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> new SpmlTerms(OFF, OFF, OFF,
                OFF, 1.5));
        assertEquals("SPML feature affinity threshold must be a cosine in [-1, 1], got 1.5", t.getMessage());
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
