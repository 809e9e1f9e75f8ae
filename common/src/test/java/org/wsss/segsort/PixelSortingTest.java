package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PixelSortingTest {

    @Test
    void gridLabelsNumberBlocksDownTheRowsFirst() {
        // 5x5 with side 2: blocks of ceil(5/2) = 3 rows and columns, two row blocks; label = row block + 2 * col block
        int[] g = PixelSorting.gridLabels(5, 5, 2);
        int[][] expected = {
                {0, 0, 0, 2, 2},
                {0, 0, 0, 2, 2},
                {0, 0, 0, 2, 2},
                {1, 1, 1, 3, 3},
                {1, 1, 1, 3, 3}};
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(expected[y][x], g[y * 5 + x], "cell " + y + "," + x);
            }
        }
        // a side larger than the map: one block per row and column
        assertArrayEquals(new int[]{0, 2, 1, 3}, PixelSorting.gridLabels(2, 2, 5));
    }

    @Test
    void twoEmbeddingGroupsBecomeTwoClustersWhateverTheStartingGrid() {
        // 4x6 map, D = 2: the left two columns point one way, the rest the other; a 3x3 starting grid
        int h = 4;
        int w = 6;
        double[] emb = new double[2 * h * w];
        for (int c = 0; c < h * w; c++) {
            boolean left = c % w < 2;
            emb[c] = left ? 5 : 0.01;
            emb[h * w + c] = left ? 0.02 : 3;
        }
        int[] clusters = PixelSorting.cluster(emb, 0, 2, h, w, null, 0, new PixelSorting.Params(1, 10));
        for (int c = 0; c < h * w; c++) {
            assertEquals(0, clusters[c], "one starting cluster keeps every cell");
        }
        clusters = PixelSorting.cluster(emb, 0, 2, h, w, null, 0, new PixelSorting.Params(3, 10));
        // position may still split a group, but no cluster holds cells of both groups
        for (int c = 0; c < h * w; c++) {
            for (int o = 0; o < h * w; o++) {
                if ((c % w < 2) != (o % w < 2)) {
                    assertNotEquals(clusters[c], clusters[o], "cells " + c + " and " + o + " share a cluster");
                }
            }
        }
    }

    @Test
    void matchesAPlainReferenceOnRandomSmallGrids() {
        Random r = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int h = 1 + r.nextInt(7);
            int w = 1 + r.nextInt(7);
            int depth = 1 + r.nextInt(4);
            int side = 1 + r.nextInt(4);
            int iterations = r.nextInt(6);
            int offset = r.nextInt(3);
            double[] emb = new double[offset + depth * h * w];
            for (int i = 0; i < emb.length; i++) {
                emb[i] = r.nextGaussian();
            }
            int[] codes = new int[h * w];
            for (int c = 0; c < codes.length; c++) {
                codes[c] = r.nextInt(5) == 0 ? PixelSorting.IGNORE : r.nextInt(3);
            }
            int[] expected = reference(emb, offset, depth, h, w, codes, side, iterations);
            int[] actual = PixelSorting.cluster(emb, offset, depth, h, w, codes, 0,
                    new PixelSorting.Params(side, iterations));
            assertArrayEquals(expected, actual, "trial " + trial + ": " + h + "x" + w + " depth " + depth);
        }
    }

    @Test
    void splitGivesEachSegmentOneLabelAndDropsIgnoredCells() {
        int[] clusters = {0, 0, 1, 1, 0, 2};
        int[] codes = {3, 4, 4, 4, 3, PixelSorting.IGNORE};
        PixelSorting.Segments s = PixelSorting.split(clusters, codes, 0);
        assertArrayEquals(new int[]{0, 1, 2, 2, 0, -1}, s.segmentOf());
        assertArrayEquals(new int[]{3, 4, 4}, s.labelOf());
        assertArrayEquals(new int[]{0, 0, 1}, s.clusterOf());
        assertEquals(3, s.count());
    }

    @Test
    void clicksLabelTheWholeClusterTheyFallIn() {
        int i = PixelSorting.IGNORE;
        int[] clusters = {0, 0, 0, 1, 1, 2, 2, -1, 3};
        // cluster 0: two clicks of 4, one of 2 -> 4; cluster 1: one each of 5 and 3, a tie -> 3; cluster 2: no
        // click -> ignored; the unclustered cell stays ignored (its click too); cluster 3: one click of 0
        int[] clicks = {9, 4, 2, 4, 5, 3, i, i, 1, 0};
        assertArrayEquals(new int[]{4, 4, 4, 3, 3, i, i, i, 0}, PixelSorting.labelByClicks(clusters, clicks, 1));
    }

    @Test
    void badParametersNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PixelSorting.Params(0, 10));
        assertEquals("segsort.grid-side must be in 1..64, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PixelSorting.Params(5, -1));
        assertEquals("segsort.kmeans-iterations must be in 0..1000, got -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PixelSorting.cluster(new double[5], 0, 2, 2, 2, null, 0,
                PixelSorting.Params.DEFAULTS));
    }

    /**
     * Spherical k-means written out plainly: vectors as lists, centres recomputed from scratch each iteration from
     * the members' list, nearest by a full scan (first best on ties), empty or zero-sum clusters skipped.
     */
    private static int[] reference(double[] emb, int offset, int depth, int h, int w, int[] codes, int side,
                                   int iterations) {
        int cells = h * w;
        List<double[]> vectors = new ArrayList<>();
        for (int c = 0; c < cells; c++) {
            double[] e = new double[depth];
            for (int d = 0; d < depth; d++) {
                e[d] = emb[offset + d * cells + c];
            }
            e = unit(e);
            double[] v = new double[depth + 2];
            System.arraycopy(e, 0, v, 0, depth);
            v[depth] = (c / w) / (double) h;
            v[depth + 1] = (c % w) / (double) w;
            vectors.add(unit(v));
        }
        int bh = (int) Math.ceil(h / (double) side);
        int bw = (int) Math.ceil(w / (double) side);
        int rowBlocks = 0;
        for (int y = 0; y < h; y++) {
            rowBlocks = Math.max(rowBlocks, y / bh + 1);
        }
        int[] labels = new int[cells];
        int k = 0;
        for (int c = 0; c < cells; c++) {
            labels[c] = (c / w) / bh + rowBlocks * ((c % w) / bw);
            k = Math.max(k, labels[c] + 1);
            if (codes[c] == PixelSorting.IGNORE) {
                labels[c] = -1;
            }
        }
        for (int it = 0; it < iterations; it++) {
            List<double[]> centres = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                double[] sum = null;
                for (int c = 0; c < cells; c++) {
                    if (labels[c] == j) {
                        sum = sum == null ? vectors.get(c).clone() : add(sum, vectors.get(c));
                    }
                }
                centres.add(sum == null || length(sum) == 0 ? null : unit(sum));
            }
            int[] next = labels.clone();
            for (int c = 0; c < cells; c++) {
                if (labels[c] < 0) {
                    continue;
                }
                int best = -1;
                double bestSim = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    if (centres.get(j) != null && dot(vectors.get(c), centres.get(j)) > bestSim) {
                        bestSim = dot(vectors.get(c), centres.get(j));
                        best = j;
                    }
                }
                next[c] = best;
            }
            labels = next;
        }
        return labels;
    }

    private static double[] add(double[] a, double[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double length(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] unit(double[] a) {
        double n = length(a);
        double[] u = a.clone();
        for (int i = 0; i < u.length; i++) {
            u[i] = n == 0 ? 0 : u[i] / n;
        }
        return u;
    }
}
