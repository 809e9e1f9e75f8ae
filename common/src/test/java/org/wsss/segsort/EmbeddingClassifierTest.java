package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class EmbeddingClassifierTest {

    @Test
    void scoresAreTheLinearMapOfEachCellsUnitVectorByHand() {
        // depth 2, 2 classes: W = [[1, 2], [-1, 0]], b = [0.5, 0]; cells (3, 4) -> unit (0.6, 0.8) and (0, 0)
        EmbeddingClassifier c = new EmbeddingClassifier(new double[]{1, 2, -1, 0}, new double[]{0.5, 0}, 2, 2);
        float[] maps = {3, 0, 4, 0}; // plane 0: cells (3, 0); plane 1: cells (4, 0)
        float[] s = c.scores(maps, 2);
        assertArrayEquals(new float[]{0.5f + 0.6f + 1.6f, 0.5f, -0.6f, 0f}, s, 1e-6f);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random r = new Random(2);
        int depth = 4;
        int classes = 3;
        int count = 7;
        double[] x = new double[count * depth];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < depth; d++) {
                x[i * depth + d] = r.nextGaussian();
            }
            y[i] = r.nextInt(classes);
        }
        double[] theta = new double[classes * depth + classes];
        for (int p = 0; p < theta.length; p++) {
            theta[p] = r.nextGaussian();
        }
        double[] g = new double[theta.length];
        EmbeddingClassifier.lossAndGradient(theta, x, y, depth, classes, 0.3, g);
        double[] scratch = new double[theta.length];
        for (int p = 0; p < theta.length; p++) {
            double keep = theta[p];
            theta[p] = keep + 1e-6;
            double up = EmbeddingClassifier.lossAndGradient(theta, x, y, depth, classes, 0.3, scratch);
            theta[p] = keep - 1e-6;
            double down = EmbeddingClassifier.lossAndGradient(theta, x, y, depth, classes, 0.3, scratch);
            theta[p] = keep;
            assertEquals((up - down) / 2e-6, g[p], 1e-6, "parameter " + p);
        }
    }

    @Test
    void separableClustersOnTheSphereAreLearntAndUnseenPointsClassified() {
        // three classes around three orthogonal directions of a 5-d sphere, noise 0.1 (a class coordinate falls
        // under another's only past 7 standard deviations): a linear rule separates them
        Random r = new Random(4);
        int depth = 5;
        double[] train = new double[300 * depth];
        int[] trainLabels = new int[300];
        double[] test = new double[90 * depth];
        int[] testLabels = new int[90];
        fill(r, train, trainLabels, depth);
        fill(r, test, testLabels, depth);
        EmbeddingClassifier c = EmbeddingClassifier.fit(train, trainLabels, depth, 3,
                new EmbeddingClassifier.Fit(300, 0.05, 1e-4));
        assertEquals(1.0, c.accuracy(train, trainLabels), 1e-12);
        assertTrue(c.accuracy(test, testLabels) > 0.97, "unseen accuracy " + c.accuracy(test, testLabels));
        // deterministic: the same table gives the same classifier
        assertArrayEquals(c.weights(), EmbeddingClassifier.fit(train, trainLabels, depth, 3,
                new EmbeddingClassifier.Fit(300, 0.05, 1e-4)).weights());
    }

    @Test
    void badInputNamesWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingClassifier.Fit(0, 0.05, 1e-4));
        assertEquals("predict.embedding-classifier-iterations must be in 1..100000, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EmbeddingClassifier.fit(new double[]{1, 0}, new int[]{3},
                2, 3, new EmbeddingClassifier.Fit(10, 0.05, 0)));
        assertEquals("embedding classifier: label 3 outside 0..2", e.getMessage());
    }

    private static void fill(Random r, double[] x, int[] y, int depth) {
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
            for (int d = 0; d < depth; d++) {
                x[i * depth + d] = (d == y[i] ? 1 : 0) + 0.1 * r.nextGaussian();
            }
        }
    }
}
