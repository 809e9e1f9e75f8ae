package org.wsss.segsort;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * SegSort's pixel sorting: one image's pixel embeddings grouped into segments by spherical (von Mises-Fisher)
 * k-means. Each cell's unit embedding is concatenated with its position (y / h, x / w) and the result renormalised,
 * so segments stay spatially coherent; clusters start from a regular grid of {@code gridSide} x {@code gridSide}
 * blocks and run a fixed number of iterations (M-step: each cluster's mean direction; E-step: each cell to the
 * cluster of highest cosine similarity, the lowest index on a tie). A cluster that loses all its cells stays empty.
 * Only labelled cells take part: during supervised training the ignored cells (label {@link #IGNORE}) are neither
 * clustered nor part of any segment.
 *
 * <p>Embeddings come as one image's block of a flattened NCHW map: {@code depth} planes of {@code h * w} cells
 * from {@code offset}, so the kernel reads a minibatch's array in place.
 */
public final class PixelSorting {

    /** Label of a cell that is not clustered. */
    public static final int IGNORE = 255;

    /** Grid side (the public code's num_clusters: 5, so 25 starting clusters) and the k-means iterations (10). */
    public record Params(int gridSide, int iterations) implements java.io.Serializable {
        public static final Params DEFAULTS = new Params(5, 10);

        public Params {
            if (gridSide < 1 || gridSide > 64) {
                throw new IllegalArgumentException("segsort.grid-side must be in 1..64, got " + gridSide);
            }
            if (iterations < 0 || iterations > 1000) {
                throw new IllegalArgumentException("segsort.kmeans-iterations must be in 0..1000, got " + iterations);
            }
        }
    }

    /** Per cell its segment (0..count-1, or -1 where ignored), and per segment its label and its cluster. */
    public record Segments(int[] segmentOf, int[] labelOf, int[] clusterOf) {
        public int count() {
            return labelOf.length;
        }
    }

    private PixelSorting() {
    }

    /**
     * The starting clusters: the image cut into blocks of ceil(h / side) rows by ceil(w / side) columns, numbered
     * row block + (row blocks) * column block, as the public code numbers them.
     */
    public static int[] gridLabels(int h, int w, int side) {
        int rowsPer = (h + side - 1) / side;
        int colsPer = (w + side - 1) / side;
        int rowBlocks = (h - 1) / rowsPer + 1;
        int[] labels = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                labels[y * w + x] = y / rowsPer + rowBlocks * (x / colsPer);
            }
        }
        return labels;
    }

    /**
     * Cluster per cell (-1 where {@code codes} is {@link #IGNORE}; {@code codes} may be null: every cell counts).
     * The embeddings need not be unit length: each cell's vector is normalised first (a zero vector stays zero).
     */
    public static int[] cluster(double[] embeddings, int offset, int depth, int h, int w, int[] codes, int codeOffset,
                                Params params) {
        int cells = h * w;
        if (depth < 1 || h < 1 || w < 1 || offset < 0 || offset + (long) depth * cells > embeddings.length) {
            throw new IllegalArgumentException("pixel sorting: " + depth + " planes of " + h + "x" + w + " from "
                    + offset + " do not fit " + embeddings.length + " values");
        }
        int dim = depth + 2;
        double[] v = new double[cells * dim];
        for (int c = 0; c < cells; c++) {
            double norm = 0;
            for (int d = 0; d < depth; d++) {
                double e = embeddings[offset + d * cells + c];
                norm += e * e;
            }
            double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            double sq = 0;
            for (int d = 0; d < depth; d++) {
                double e = embeddings[offset + d * cells + c] * inv;
                v[c * dim + d] = e;
                sq += e * e;
            }
            double y = (double) (c / w) / h;
            double x = (double) (c % w) / w;
            v[c * dim + depth] = y;
            v[c * dim + depth + 1] = x;
            sq += y * y + x * x;
            double again = sq > 0 ? 1 / Math.sqrt(sq) : 0;
            for (int d = 0; d < dim; d++) {
                v[c * dim + d] *= again;
            }
        }
        int[] labels = gridLabels(h, w, params.gridSide());
        int k = Arrays.stream(labels).max().orElse(0) + 1;
        for (int c = 0; c < cells; c++) {
            if (codes != null && codes[codeOffset + c] == IGNORE) {
                labels[c] = -1;
            }
        }
        double[] centres = new double[k * dim];
        boolean[] present = new boolean[k];
        for (int it = 0; it < params.iterations(); it++) {
            Arrays.fill(centres, 0);
            Arrays.fill(present, false);
            for (int c = 0; c < cells; c++) {
                if (labels[c] >= 0) {
                    present[labels[c]] = true;
                    for (int d = 0; d < dim; d++) {
                        centres[labels[c] * dim + d] += v[c * dim + d];
                    }
                }
            }
            for (int j = 0; j < k; j++) {
                double sq = 0;
                for (int d = 0; d < dim; d++) {
                    sq += centres[j * dim + d] * centres[j * dim + d];
                }
                // a cluster whose cells cancel out has no direction: like an empty one, it takes no cells
                present[j] &= sq > 0;
                double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
                for (int d = 0; d < dim; d++) {
                    centres[j * dim + d] *= inv;
                }
            }
            for (int c = 0; c < cells; c++) {
                if (labels[c] < 0) {
                    continue;
                }
                int best = -1;
                double bestSim = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    if (!present[j]) {
                        continue;
                    }
                    double s = 0;
                    for (int d = 0; d < dim; d++) {
                        s += v[c * dim + d] * centres[j * dim + d];
                    }
                    if (s > bestSim) {
                        bestSim = s;
                        best = j;
                    }
                }
                labels[c] = best;
            }
        }
        return labels;
    }

    /**
     * SegSort with points: every cell is sorted (no labels), then each cluster takes the label of the clicks inside
     * it (the most frequent; a tie goes to the smaller label) and passes it to all its cells; a cluster without a
     * click gets {@link #IGNORE}. {@code clicks} holds a label at clicked cells and {@link #IGNORE} elsewhere.
     */
    public static int[] labelByClicks(int[] clusters, int[] clicks, int clickOffset) {
        int k = Arrays.stream(clusters).max().orElse(-1) + 1;
        Map<Integer, int[]> votes = new HashMap<>();
        for (int c = 0; c < clusters.length; c++) {
            int label = clicks[clickOffset + c];
            if (label != IGNORE && clusters[c] >= 0) {
                votes.computeIfAbsent(clusters[c], j -> new int[IGNORE])[label]++;
            }
        }
        int[] labelOfCluster = new int[k];
        Arrays.fill(labelOfCluster, IGNORE);
        for (Map.Entry<Integer, int[]> e : votes.entrySet()) {
            int best = 0;
            for (int l = 1; l < IGNORE; l++) {
                if (e.getValue()[l] > e.getValue()[best]) {
                    best = l;
                }
            }
            labelOfCluster[e.getKey()] = best;
        }
        int[] dense = new int[clusters.length];
        for (int c = 0; c < clusters.length; c++) {
            dense[c] = clusters[c] < 0 ? IGNORE : labelOfCluster[clusters[c]];
        }
        return dense;
    }

    /**
     * Segments: clusters split by label, so each segment holds one label (SegSort's supervised partition: a
     * cluster across an object's edge becomes two segments). Numbered in order of their first cell.
     */
    public static Segments split(int[] clusters, int[] codes, int codeOffset) {
        int[] segmentOf = new int[clusters.length];
        Map<Long, Integer> ids = new HashMap<>();
        int[] labelOf = new int[clusters.length];
        int[] clusterOf = new int[clusters.length];
        for (int c = 0; c < clusters.length; c++) {
            int code = codes == null ? 0 : codes[codeOffset + c];
            if (clusters[c] < 0 || code == IGNORE) {
                segmentOf[c] = -1;
                continue;
            }
            long key = (long) clusters[c] * 65536 + code;
            Integer id = ids.get(key);
            if (id == null) {
                id = ids.size();
                ids.put(key, id);
                labelOf[id] = code;
                clusterOf[id] = clusters[c];
            }
            segmentOf[c] = id;
        }
        return new Segments(segmentOf, Arrays.copyOf(labelOf, ids.size()), Arrays.copyOf(clusterOf, ids.size()));
    }
}
