package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.wsss.seg.LossGradients;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

class SegmentSortingLossTest {

    private static final ActivationIdentity IDENTITY = new ActivationIdentity();

    private static SegmentSortingLoss loss(double kappa, int side, int banks, int width) {
        return new SegmentSortingLoss(kappa, new PixelSorting.Params(side, 10), banks, width);
    }

    @Test
    void twoCellsOfTwoLabelsByHand() {
        // one image, a 1x2 map, D = 2: cell 0 along x (label 0), cell 1 along y (label 1); one cluster, split by
        // label into two one-cell segments whose prototypes are the cells themselves. Each cell has no other
        // segment of its label, so l = -log(e^k / (e^k + e^0)) = log(1 + e^-k)
        double kappa = 10;
        INDArray z = Nd4j.createFromArray(new double[][]{{3, 0, 0, 0.5}});   // planes: x = (3, 0), y = (0, 0.5)
        INDArray labels = Nd4j.createFromArray(new double[][]{{0, 1}});
        double score = loss(kappa, 1, 0, 2).computeScore(labels, z, IDENTITY, null, false);
        assertEquals(Math.log1p(Math.exp(-kappa)), score, 1e-12);
    }

    @Test
    void anotherSegmentOfTheSameLabelIsThePositiveByHand() {
        // two images of one 1x1 cell each, both label 0, plus one of label 1 in a third image. For cell a of image 0
        // the positives are the other label-0 segment (image 1), not its own: l_a = -log(s_b / (s_b + s_c))
        double kappa = 2;
        double[] a = {1, 0};
        double[] b = {Math.cos(0.3), Math.sin(0.3)};
        double[] c = {0, 1};
        INDArray z = Nd4j.createFromArray(new double[][]{a, b, c});
        INDArray labels = Nd4j.createFromArray(new double[][]{{0}, {0}, {1}});
        double lA = -Math.log(Math.exp(kappa * dot(a, b)) / (Math.exp(kappa * dot(a, b)) + Math.exp(kappa * dot(a, c))));
        double lB = -Math.log(Math.exp(kappa * dot(b, a)) / (Math.exp(kappa * dot(b, a)) + Math.exp(kappa * dot(b, c))));
        // cell c: no other label-1 segment, so its own (similarity 1) against a and b
        double lC = -Math.log(Math.exp(kappa) / (Math.exp(kappa) + Math.exp(kappa * dot(c, a))
                + Math.exp(kappa * dot(c, b))));
        double expectedMean = (lA + lB + lC) / 3;
        // DL4J convention: the summed score is N times the mean (N = 3 images)
        assertEquals(3 * expectedMean, loss(kappa, 1, 0, 1).computeScore(labels, z, IDENTITY, null, false), 1e-12);
        assertEquals(expectedMean, loss(kappa, 1, 0, 1).computeScore(labels, z, IDENTITY, null, true), 1e-12);
    }

    @Test
    void clicksLabelTheirWholeSegmentByHand() {
        // two images of 1x2 cells, one starting cluster each (grid side 1): image 0 clicked 0 on its first cell,
        // image 1 clicked 1 on its second. Every cell then counts with its image's label; prototypes are the
        // normalised means of each image's unit embeddings, and no image has another segment of its label, so
        // l = log(1 + exp(k (e . mu_other - e . mu_own)))
        double kappa = 3;
        double[][] cells = {{1, 0}, {0.6, 0.8}, {0, 1}, {-0.6, 0.8}};
        INDArray z = Nd4j.createFromArray(new double[][]{{2, 0.6, 0, 0.8}, {0, -1.2, 3, 1.6}}); // planes x then y
        INDArray clicks = Nd4j.createFromArray(new double[][]{{0, 255}, {255, 1}});
        double[] mu0 = unit(cells[0][0] + cells[1][0], cells[0][1] + cells[1][1]);
        double[] mu1 = unit(cells[2][0] + cells[3][0], cells[2][1] + cells[3][1]);
        double sum = 0;
        for (int c = 0; c < 4; c++) {
            double[] own = c < 2 ? mu0 : mu1;
            double[] other = c < 2 ? mu1 : mu0;
            sum += Math.log1p(Math.exp(kappa * (dot(cells[c], other) - dot(cells[c], own))));
        }
        SegmentSortingLoss f = new SegmentSortingLoss(kappa, new PixelSorting.Params(1, 10), 0, 2, true);
        assertEquals(2 * sum / 4, f.computeScore(clicks, z, IDENTITY, null, false), 1e-12);
        // the same clicks read as dense labels score only the two clicked cells
        SegmentSortingLoss dense = new SegmentSortingLoss(kappa, new PixelSorting.Params(1, 10), 0, 2, false);
        double[] e0 = cells[0];
        double[] e3 = cells[3];
        double twoCells = Math.log1p(Math.exp(kappa * (dot(e0, e3) - 1))) * 2;
        assertEquals(2 * twoCells / 2, dense.computeScore(clicks, z, IDENTITY, null, false), 1e-12);
    }

    @Test
    void gradientFromClicksMatchesCentralDifferences() {
        Random r = new Random(11);
        SegmentSortingLoss f = new SegmentSortingLoss(4, new PixelSorting.Params(2, 10), 2, 0, true);
        f.computeGradient(clicks(r, 3, 16), embeddings(r, 3, 3, 16), IDENTITY, null);
        f.computeGradient(clicks(r, 3, 16), embeddings(r, 3, 3, 16), IDENTITY, null);
        LossGradients.assertMatchesCentralDifferences(f, clicks(r, 3, 16), embeddings(r, 3, 3, 16), IDENTITY, null);
    }

    @Test
    void regionsPullOnlyTowardsTheCellsOwnRegionOfItsOwnImageByHand() {
        // the same three 1x1 images as anotherSegmentOfTheSameLabelIsThePositiveByHand, now read as regions: a and b
        // both carry region 0, but of different images, so neither is the other's positive. Each cell's only
        // positive is its own segment (similarity 1) and every other segment is a negative
        double kappa = 2;
        double[] a = {1, 0};
        double[] b = {Math.cos(0.3), Math.sin(0.3)};
        double[] c = {0, 1};
        INDArray z = Nd4j.createFromArray(new double[][]{a, b, c});
        INDArray regions = Nd4j.createFromArray(new double[][]{{0}, {0}, {1}});
        double[][] all = {a, b, c};
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            double den = 0;
            for (int j = 0; j < 3; j++) {
                den += Math.exp(kappa * dot(all[i], all[j]));
            }
            sum += -Math.log(Math.exp(kappa) / den);
        }
        SegmentSortingLoss f = new SegmentSortingLoss(kappa, new PixelSorting.Params(1, 10), 0, 1,
                SegmentSortingLoss.Labels.REGIONS);
        assertEquals(sum / 3, f.computeScore(regions, z, IDENTITY, null, true), 1e-12);
    }

    @Test
    void twoSegmentsOfOneRegionInOneImageAreEachOthersPositivesByHand() {
        // one image, 1x2 map, two starting clusters (grid side 2 on a 1x2 map: one per cell), both cells in region 3:
        // the clusters make two segments of one region, each the other's positive. Against them a second image
        // whose single cell is also region 3: another image, so a negative.
        double kappa = 3;
        double[] e0 = {1, 0};
        double[] e1 = {0.8, 0.6};
        double[] f0 = {0, 1};
        INDArray z = Nd4j.createFromArray(new double[][]{{1, 0.8, 0, 0.6}, {0, 0, 1, 1}});
        INDArray regions = Nd4j.createFromArray(new double[][]{{3, 3}, {3, 255}});
        double l0 = -Math.log(Math.exp(kappa * dot(e0, e1)) / (Math.exp(kappa * dot(e0, e1))
                + Math.exp(kappa * dot(e0, f0))));
        double l1 = -Math.log(Math.exp(kappa * dot(e1, e0)) / (Math.exp(kappa * dot(e1, e0))
                + Math.exp(kappa * dot(e1, f0))));
        double lf = -Math.log(Math.exp(kappa) / (Math.exp(kappa) + Math.exp(kappa * dot(f0, e0))
                + Math.exp(kappa * dot(f0, e1))));
        SegmentSortingLoss f = new SegmentSortingLoss(kappa, new PixelSorting.Params(2, 0), 0, 2,
                SegmentSortingLoss.Labels.REGIONS);
        assertEquals((l0 + l1 + lf) / 3, f.computeScore(regions, z, IDENTITY, null, true), 1e-12);
    }

    @Test
    void gradientFromRegionsMatchesCentralDifferencesWithMemory() {
        Random r = new Random(17);
        SegmentSortingLoss f = new SegmentSortingLoss(4, new PixelSorting.Params(2, 10), 2, 0,
                SegmentSortingLoss.Labels.REGIONS);
        for (int i = 0; i < 2; i++) {
            f.computeGradient(labels(r, 3, 16), embeddings(r, 3, 3, 16), IDENTITY, null);
        }
        LossGradients.assertMatchesCentralDifferences(f, labels(r, 3, 16), embeddings(r, 3, 3, 16), IDENTITY, null);
        assertTrue(f.memory().contents(3).count() > 0, "memory prototypes took part");
    }

    private static INDArray clicks(Random r, int n, int cells) {
        double[][] l = new double[n][cells];
        for (double[] row : l) {
            java.util.Arrays.fill(row, 255);
            for (int k = 0; k < 3; k++) {
                row[r.nextInt(cells)] = r.nextInt(3);
            }
        }
        return Nd4j.createFromArray(l);
    }

    private static double[] unit(double x, double y) {
        double n = Math.hypot(x, y);
        return new double[]{x / n, y / n};
    }

    @Test
    void ignoredCellsTakeNoPart() {
        INDArray z = Nd4j.createFromArray(new double[][]{{3, 0, 7, 0, 0.5, -2}});
        INDArray labels = Nd4j.createFromArray(new double[][]{{0, 1, 255}});
        INDArray without = Nd4j.createFromArray(new double[][]{{3, 0, 0, 0.5}});
        INDArray labelsWithout = Nd4j.createFromArray(new double[][]{{0, 1}});
        // a 1x3 map with the last cell ignored scores as the 1x2 map of the first two (one starting cluster)
        assertEquals(loss(10, 1, 0, 2).computeScore(labelsWithout, without, IDENTITY, null, false),
                loss(10, 1, 0, 3).computeScore(labels, z, IDENTITY, null, false), 1e-12);
        INDArray gradient = loss(10, 1, 0, 3).computeGradient(labels, z, IDENTITY, null);
        assertEquals(0, gradient.getDouble(0, 2));
        assertEquals(0, gradient.getDouble(0, 5));
    }

    @Test
    void gradientMatchesCentralDifferencesWithAndWithoutMemory() {
        Random r = new Random(5);
        for (int banks : new int[]{0, 2}) {
            SegmentSortingLoss f = loss(4, 2, banks, 0);
            // earlier minibatches fill the memory (one becomes pending, joins at the next gradient)
            for (int i = 0; i < 3; i++) {
                f.computeGradient(labels(r, 3, 16), embeddings(r, 3, 3, 16), IDENTITY, null);
            }
            INDArray labels = labels(r, 3, 16);
            INDArray z = embeddings(r, 3, 3, 16);
            // the clustering is a constant assignment: the step (1e-6) is far too small to move a cell
            LossGradients.assertMatchesCentralDifferences(f, labels, z, IDENTITY, null);
            assertEquals(banks == 0, f.memory().contents(3).count() == 0, "memory in use with " + banks + " banks");
        }
    }

    @Test
    void memoryPrototypesChangeTheScoreOnlyFromTheNextMinibatchOn() {
        Random r = new Random(9);
        SegmentSortingLoss f = loss(4, 2, 2, 0);
        SegmentSortingLoss fresh = loss(4, 2, 0, 0);
        INDArray la = labels(r, 2, 16);
        INDArray za = embeddings(r, 2, 3, 16);
        INDArray lb = labels(r, 2, 16);
        INDArray zb = embeddings(r, 2, 3, 16);
        double before = f.computeScore(la, za, IDENTITY, null, false);
        f.computeGradient(la, za, IDENTITY, null);
        // DL4J scores after the gradient: the minibatch must not meet its own prototypes in the memory
        assertEquals(before, f.computeScore(la, za, IDENTITY, null, false), 1e-12);
        assertEquals(fresh.computeScore(lb, zb, IDENTITY, null, false), f.computeScore(lb, zb, IDENTITY, null, false),
                1e-12);
        f.computeGradient(lb, zb, IDENTITY, null);
        // now minibatch a's prototypes are in the memory
        assertNotEquals(fresh.computeScore(lb, zb, IDENTITY, null, false),
                f.computeScore(lb, zb, IDENTITY, null, false));
        assertTrue(f.memory().contents(3).count() > 0, "a's segments are remembered");
    }

    @Test
    void eachThreadHasItsOwnMemory() throws Exception {
        // two workers of one executor share the loss object (DL4J clones configurations shallowly)
        Random r = new Random(4);
        SegmentSortingLoss shared = loss(4, 2, 2, 0);
        INDArray la = labels(r, 2, 16);
        INDArray za = embeddings(r, 2, 3, 16);
        shared.computeGradient(la, za, IDENTITY, null);
        shared.computeGradient(la, za, IDENTITY, null);
        assertTrue(shared.memory().contents(3).count() > 0);
        long[] otherThread = new long[1];
        Thread t = new Thread(() -> otherThread[0] = shared.memory().contents(3).count());
        t.start();
        t.join();
        assertEquals(0, otherThread[0], "another thread starts with empty banks");
        SegmentSortingLoss.startWorkerShare();
        assertEquals(0, shared.memory().contents(3).count(), "a new worker share starts with empty banks");
    }

    @Test
    void memoryKeepsTheLastBanksOnly() {
        PrototypeMemory m = new PrototypeMemory(2);
        for (int i = 1; i <= 4; i++) {
            m.commitPending();
            m.offer(new PrototypeMemory.Bank(new double[]{i, 0}, new int[]{i}, 2));
        }
        m.commitPending();
        PrototypeMemory.Bank all = m.contents(2);
        assertEquals(2, all.count());
        assertEquals(3, all.labels()[0]);
        assertEquals(4, all.labels()[1]);
        PrototypeMemory none = new PrototypeMemory(0);
        none.offer(new PrototypeMemory.Bank(new double[]{1, 0}, new int[]{1}, 2));
        none.commitPending();
        assertEquals(0, none.contents(2).count());
        assertEquals(0, m.contents(3).count(), "a bank of another depth is dropped");
    }

    @Test
    void settingsSurviveTheConfigurationsJsonAndBadOnesNameTheSetting() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        SegmentSortingLoss f = new SegmentSortingLoss(7, new PixelSorting.Params(3, 10), 1, 6, true);
        ILossFunction back = mapper.readValue(mapper.writeValueAsString(f), ILossFunction.class);
        assertEquals(f, back);
        SegmentSortingLoss regions = new SegmentSortingLoss(7, new PixelSorting.Params(3, 10), 1, 6,
                SegmentSortingLoss.Labels.REGIONS);
        SegmentSortingLoss regionsBack = (SegmentSortingLoss) mapper.readValue(mapper.writeValueAsString(regions),
                ILossFunction.class);
        assertEquals(regions, regionsBack);
        assertTrue(regionsBack.isFromRegions());
        assertNotEquals(f, regionsBack);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss(0, 5, 2, 0));
        assertEquals("segsort.concentration must be a finite number > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss(10, 5, -1, 0));
        assertEquals("segsort.memory-banks must be in 0..64, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss(10, 5, 0, 0).computeScore(
                Nd4j.zeros(DataType.DOUBLE, 1, 6), Nd4j.ones(DataType.DOUBLE, 1, 12), IDENTITY, null, false));
        assertEquals("SegmentSortingLoss: 6 cells per image is not a square map; give the map width", e.getMessage());
    }

    private static INDArray labels(Random r, int n, int cells) {
        double[][] l = new double[n][cells];
        for (double[] row : l) {
            for (int c = 0; c < cells; c++) {
                row[c] = r.nextInt(6) == 0 ? 255 : r.nextInt(3);
            }
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
