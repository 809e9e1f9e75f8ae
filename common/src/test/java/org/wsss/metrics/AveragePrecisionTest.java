package org.wsss.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AveragePrecisionTest {
    private static final double EPS = 1e-12;

    /*
     * One class, scores (truth): 0.9 (+), 0.8 (-), 0.7 (+), 0.2 (-), 0.1 (+).
     * Positives are reached at ranks 1, 3, 5 with precision 1, 2/3, 3/5; each adds 1/3 of recall:
     * AP = (1 + 2/3 + 3/5) / 3 = 34/45.
     */
    @Test
    void handComputedRanking() {
        AveragePrecision ap = new AveragePrecision(1);
        double[] s = {0.9, 0.8, 0.7, 0.2, 0.1};
        boolean[] t = {true, false, true, false, true};
        for (int i = 0; i < s.length; i++) {
            ap.add(new double[]{s[i]}, new boolean[]{t[i]}, null);
        }
        assertEquals(34.0 / 45.0, ap.ap(0), EPS);
        assertEquals(34.0 / 45.0, ap.meanAp(), EPS);
        assertEquals(3.0 / 5.0, ap.chanceMeanAp(), EPS);
    }

    @Test
    void constantScoresGiveThePositiveRate() {
        AveragePrecision ap = new AveragePrecision(2);
        boolean[][] truth = {{true, false}, {false, false}, {false, true}, {true, false}};
        for (boolean[] t : truth) {
            ap.add(new double[]{0.5, 0.5}, t, null);
        }
        assertEquals(0.5, ap.ap(0), EPS);
        assertEquals(0.25, ap.ap(1), EPS);
        assertEquals(ap.chanceMeanAp(), ap.meanAp(), EPS);
    }

    @Test
    void matchesBruteForceOnWellSeparatedScores() {
        Random r = new Random(3);
        int n = 300;
        // distinct logits 0.05 apart, so no two land in one bin (bin width 0.02)
        double[] logits = new double[n];
        for (int i = 0; i < n; i++) {
            logits[i] = -7.5 + 0.05 * i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double x = logits[i];
            logits[i] = logits[j];
            logits[j] = x;
        }
        boolean[] truth = new boolean[n];
        AveragePrecision a = new AveragePrecision(1);
        AveragePrecision b = new AveragePrecision(1);
        for (int i = 0; i < n; i++) {
            truth[i] = r.nextDouble() < 0.2 + 0.6 * (logits[i] + 7.5) / 15;
            (i % 2 == 0 ? a : b).add(new double[]{1 / (1 + Math.exp(-logits[i]))}, new boolean[]{truth[i]}, null);
        }
        a.merge(b);
        assertEquals(bruteForce(logits, truth), a.ap(0), 1e-9);
    }

    @Test
    void inactiveClassesAndClassesWithoutPositivesAreLeftOut() {
        AveragePrecision ap = new AveragePrecision(3);
        ap.add(new double[]{0.9, 0.9, 0.1}, new boolean[]{true, false, true}, new boolean[]{true, true, false});
        ap.add(new double[]{0.1, 0.2, 0.9}, new boolean[]{false, false, false}, new boolean[]{true, true, false});
        assertEquals(1.0, ap.ap(0), EPS);
        assertTrue(Double.isNaN(ap.ap(1)));
        assertTrue(Double.isNaN(ap.ap(2)));
        assertEquals(1.0, ap.meanAp(), EPS);
    }

    @Test
    void rejectsNaNScoresAndWrongLengths() {
        AveragePrecision ap = new AveragePrecision(2);
        assertThrows(IllegalArgumentException.class,
                () -> ap.add(new double[]{Double.NaN, 0.1}, new boolean[]{true, false}, null));
        assertThrows(IllegalArgumentException.class,
                () -> ap.add(new double[]{0.1}, new boolean[]{true, false}, null));
    }

    /** Sort by score, descending; sum precision at each positive over the number of positives. */
    private static double bruteForce(double[] scores, boolean[] truth) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> -scores[i]));
        long pos = 0;
        for (boolean t : truth) {
            pos += t ? 1 : 0;
        }
        double sum = 0;
        int tp = 0;
        for (int k = 0; k < idx.length; k++) {
            if (truth[idx[k]]) {
                tp++;
                sum += tp / (double) (k + 1);
            }
        }
        return sum / pos;
    }
}
