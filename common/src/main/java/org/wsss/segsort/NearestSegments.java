package org.wsss.segsort;

import java.io.Serializable;
import java.util.Arrays;

/**
 * SegSort's inference by retrieval: each query segment takes the majority label of its k nearest training
 * prototypes by cosine similarity (prototypes and queries are unit vectors, so the dot product). The search is
 * split so a prototype table too large for one machine's memory can be searched part by part: {@link #search}
 * gives each query its k best of one part, {@link Candidates#merge} keeps the k best of two parts, and
 * {@link Candidates#vote} labels the queries. The result does not depend on how the table was split: candidates
 * are ordered by similarity, then by the prototype's global index.
 */
public final class NearestSegments {

    private NearestSegments() {
    }

    /** Per query up to k (similarity, global prototype index, label) triples, best first. */
    public record Candidates(int k, double[][] similarity, long[][] index, int[][] label) implements Serializable {

        public int queries() {
            return similarity.length;
        }

        /** The k best of both, per query (both searched for the same queries with the same k). */
        public Candidates merge(Candidates other) {
            if (other.k != k || other.queries() != queries()) {
                throw new IllegalArgumentException("nearest segments: cannot merge candidates of " + other.queries()
                        + " queries (k " + other.k + ") into " + queries() + " (k " + k + ")");
            }
            double[][] s = new double[queries()][];
            long[][] ix = new long[queries()][];
            int[][] lab = new int[queries()][];
            for (int q = 0; q < queries(); q++) {
                int n = Math.min(k, similarity[q].length + other.similarity[q].length);
                s[q] = new double[n];
                ix[q] = new long[n];
                lab[q] = new int[n];
                int a = 0;
                int b = 0;
                for (int i = 0; i < n; i++) {
                    boolean takeA = b >= other.similarity[q].length || (a < similarity[q].length
                            && better(similarity[q][a], index[q][a], other.similarity[q][b], other.index[q][b]));
                    if (takeA) {
                        s[q][i] = similarity[q][a];
                        ix[q][i] = index[q][a];
                        lab[q][i] = label[q][a++];
                    } else {
                        s[q][i] = other.similarity[q][b];
                        ix[q][i] = other.index[q][b];
                        lab[q][i] = other.label[q][b++];
                    }
                }
            }
            return new Candidates(k, s, ix, lab);
        }

        /**
         * Each query's label: the most frequent among its candidates; a tie goes to the label with the larger
         * summed similarity, then to the smaller label. -1 for a query without candidates (an empty table).
         */
        public int[] vote() {
            int[] out = new int[queries()];
            for (int q = 0; q < queries(); q++) {
                int best = -1;
                int bestCount = 0;
                double bestSum = 0;
                int[] labels = label[q];
                for (int i = 0; i < labels.length; i++) {
                    int count = 0;
                    double sum = 0;
                    for (int j = 0; j < labels.length; j++) {
                        if (labels[j] == labels[i]) {
                            count++;
                            sum += similarity[q][j];
                        }
                    }
                    if (count > bestCount || (count == bestCount && (sum > bestSum
                            || (sum == bestSum && labels[i] < best)))) {
                        best = labels[i];
                        bestCount = count;
                        bestSum = sum;
                    }
                }
                out[q] = best;
            }
            return out;
        }
    }

    private static boolean better(double s1, long i1, double s2, long i2) {
        return s1 > s2 || (s1 == s2 && i1 < i2);
    }

    /**
     * The k best prototypes of one part of the table for each query: {@code queries} row-major [Q, depth],
     * {@code prototypes} row-major [M, depth] with their {@code labels}, global indices from {@code firstIndex}.
     */
    public static Candidates search(double[] queries, int depth, double[] prototypes, int[] labels, long firstIndex,
                                    int k) {
        if (k < 1) {
            throw new IllegalArgumentException("predict.knn-k must be >= 1, got " + k);
        }
        if (depth < 1 || queries.length % depth != 0 || prototypes.length != (long) labels.length * depth) {
            throw new IllegalArgumentException("nearest segments: " + queries.length + " query values and "
                    + prototypes.length + " prototype values for " + labels.length + " labels are not rows of "
                    + depth);
        }
        int q = queries.length / depth;
        int m = labels.length;
        double[][] s = new double[q][];
        long[][] ix = new long[q][];
        int[][] lab = new int[q][];
        double[] sims = new double[m];
        for (int i = 0; i < q; i++) {
            for (int p = 0; p < m; p++) {
                double dot = 0;
                for (int d = 0; d < depth; d++) {
                    dot += queries[i * depth + d] * prototypes[p * depth + d];
                }
                sims[p] = dot;
            }
            int n = Math.min(k, m);
            int[] top = topK(sims, n);
            s[i] = new double[n];
            ix[i] = new long[n];
            lab[i] = new int[n];
            for (int j = 0; j < n; j++) {
                s[i][j] = sims[top[j]];
                ix[i][j] = firstIndex + top[j];
                lab[i][j] = labels[top[j]];
            }
        }
        return new Candidates(k, s, ix, lab);
    }

    /** Indices of the n largest values, best first (equal values: lower index first); a bounded insertion list. */
    private static int[] topK(double[] values, int n) {
        int[] top = new int[n];
        int size = 0;
        for (int p = 0; p < values.length; p++) {
            if (size == n && !(values[p] > values[top[n - 1]])) {
                continue;
            }
            int at = size < n ? size++ : n - 1;
            while (at > 0 && values[p] > values[top[at - 1]]) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = p;
        }
        return Arrays.copyOf(top, size);
    }
}
