package org.wsss.segsort;

/**
 * The prototype of each segment of one image: the normalised mean of its cells' unit embeddings (the mean direction
 * of a von Mises-Fisher component), as SegSort's training loss, make-prototypes and nearest-segment inference all
 * use it.
 */
public final class SegmentPrototypes {

    private SegmentPrototypes() {
    }

    /**
     * Row-major [count, depth] unit prototypes of the segments numbered in {@code segmentOf} (one entry per cell,
     * -1 for cells in no segment), from {@code depth} planes of {@code segmentOf.length} cells at {@code offset}
     * (one image of a flattened NCHW map). A segment whose unit embeddings cancel out gets the zero vector.
     */
    public static double[] of(double[] embeddings, int offset, int depth, int[] segmentOf, int count) {
        int cells = segmentOf.length;
        if (depth < 1 || offset < 0 || offset + (long) depth * cells > embeddings.length) {
            throw new IllegalArgumentException("segment prototypes: " + depth + " planes of " + cells + " cells from "
                    + offset + " do not fit " + embeddings.length + " values");
        }
        double[] sums = new double[count * depth];
        for (int c = 0; c < cells; c++) {
            int p = segmentOf[c];
            if (p < 0) {
                continue;
            }
            if (p >= count) {
                throw new IllegalArgumentException("segment prototypes: cell " + c + " is in segment " + p
                        + " of " + count);
            }
            double sq = 0;
            for (int d = 0; d < depth; d++) {
                double v = embeddings[offset + d * cells + c];
                sq += v * v;
            }
            double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
            for (int d = 0; d < depth; d++) {
                sums[p * depth + d] += embeddings[offset + d * cells + c] * inv;
            }
        }
        for (int p = 0; p < count; p++) {
            double sq = 0;
            for (int d = 0; d < depth; d++) {
                sq += sums[p * depth + d] * sums[p * depth + d];
            }
            double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
            for (int d = 0; d < depth; d++) {
                sums[p * depth + d] *= inv;
            }
        }
        return sums;
    }
}
