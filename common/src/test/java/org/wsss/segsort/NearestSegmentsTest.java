package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class NearestSegmentsTest {

    @Test
    void searchFindsTheSameNeighboursAsSortingTheWholeTable() {
        Random r = new Random(2);
        for (int trial = 0; trial < 50; trial++) {
            int depth = 1 + r.nextInt(4);
            int m = 1 + r.nextInt(40);
            int q = 1 + r.nextInt(5);
            int k = 1 + r.nextInt(20);
            // coarse values so that equal similarities (ties) occur
            double[] protos = grid(r, m * depth);
            double[] queries = grid(r, q * depth);
            int[] labels = new int[m];
            for (int p = 0; p < m; p++) {
                labels[p] = r.nextInt(4);
            }
            NearestSegments.Candidates whole = NearestSegments.search(queries, depth, protos, labels, 0, k);
            for (int i = 0; i < q; i++) {
                List<Integer> order = new ArrayList<>();
                double[] sims = new double[m];
                for (int p = 0; p < m; p++) {
                    order.add(p);
                    for (int d = 0; d < depth; d++) {
                        sims[p] += queries[i * depth + d] * protos[p * depth + d];
                    }
                }
                order.sort(Comparator.<Integer>comparingDouble(p -> -sims[p]).thenComparing(p -> p));
                long[] expected = order.subList(0, Math.min(k, m)).stream().mapToLong(Integer::longValue).toArray();
                assertArrayEquals(expected, whole.index()[i], "trial " + trial + ", query " + i);
            }
            // the same table in random parts, searched apart and merged, gives the same candidates
            int cut = r.nextInt(m + 1);
            NearestSegments.Candidates a = NearestSegments.search(queries, depth, slice(protos, 0, cut * depth),
                    slice(labels, 0, cut), 0, k);
            NearestSegments.Candidates b = NearestSegments.search(queries, depth, slice(protos, cut * depth,
                    m * depth), slice(labels, cut, m), cut, k);
            NearestSegments.Candidates merged = b.merge(a);
            for (int i = 0; i < q; i++) {
                assertArrayEquals(whole.index()[i], merged.index()[i], "merged, trial " + trial);
                assertArrayEquals(whole.label()[i], merged.label()[i]);
            }
            assertArrayEquals(whole.vote(), merged.vote());
        }
    }

    @Test
    void voteTakesTheMajorityThenTheLargerSimilaritySumThenTheSmallerLabel() {
        NearestSegments.Candidates c = new NearestSegments.Candidates(5,
                new double[][]{{0.9, 0.8, 0.7, 0.6, 0.5}, {1.0, 0.75, 0.5, 0.25}, {0.5, 0.5}, {}},
                new long[][]{{0, 1, 2, 3, 4}, {0, 1, 2, 3}, {7, 8}, {}},
                new int[][]{{4, 2, 2, 4, 2}, {4, 2, 2, 4}, {6, 3}, {}});
        // query 0: label 2 three times; query 1: 2 and 4 twice each, sums 1.25 (label 4) and 1.25 (label 2): the
        // smaller label; query 2: one each, equal sums: 3; query 3: nothing found
        assertArrayEquals(new int[]{2, 2, 3, -1}, c.vote());
        NearestSegments.Candidates d = new NearestSegments.Candidates(3, new double[][]{{0.9, 0.2, 0.1}},
                new long[][]{{0, 1, 2}}, new int[][]{{5, 1, 5}});
        assertArrayEquals(new int[]{5}, d.vote());
        NearestSegments.Candidates e = new NearestSegments.Candidates(4, new double[][]{{0.75, 0.5, 0.5, 0.25}},
                new long[][]{{0, 1, 2, 3}}, new int[][]{{5, 1, 1, 5}});
        // two each and equal sums (1.0): the smaller label; then 5's sum larger (1.0 against 0.75): 5
        assertArrayEquals(new int[]{1}, e.vote());
        NearestSegments.Candidates f = new NearestSegments.Candidates(4, new double[][]{{0.75, 0.5, 0.25, 0.25}},
                new long[][]{{0, 1, 2, 3}}, new int[][]{{5, 1, 1, 5}});
        assertArrayEquals(new int[]{5}, f.vote());
    }

    @Test
    void prototypesAreTheNormalisedMeansOfUnitEmbeddings() {
        // 3 cells, D = 2 (planes x, y): cells 0 and 1 in segment 0, cell 2 in none
        double[] emb = {9, 3, 0, 7, 0, 4, 5, 1};   // 1 value of padding before the planes
        double[] p = SegmentPrototypes.of(emb, 1, 2, new int[]{0, 0, -1}, 1);
        // unit (1, 0) and (0, 1): mean direction (1, 1) / sqrt 2, whatever the cells' lengths
        assertEquals(Math.sqrt(0.5), p[0], 1e-15);
        assertEquals(Math.sqrt(0.5), p[1], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SegmentPrototypes.of(emb, 1, 2, new int[]{0, 1, -1}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NearestSegments.search(new double[2], 2, new double[2], new int[]{1}, 0, 0));
        assertEquals("predict.knn-k must be >= 1, got 0", e.getMessage());
    }

    private static double[] grid(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(5) - 2;
        }
        return v;
    }

    private static double[] slice(double[] a, int from, int to) {
        double[] s = new double[to - from];
        System.arraycopy(a, from, s, 0, s.length);
        return s;
    }

    private static int[] slice(int[] a, int from, int to) {
        int[] s = new int[to - from];
        System.arraycopy(a, from, s, 0, s.length);
        return s;
    }
}
