package org.wsss.segsort;

/**
 * SegSort at the level of one image's embedding map (D planes of h x w cells of a flattened NCHW array): the
 * labelled prototypes a training image contributes to the retrieval table, and the labels a test image gets by
 * retrieval.
 */
public final class Segmenter {

    /** Row-major unit prototypes [count, depth] with a label each. */
    public record Prototypes(double[] vectors, int[] labels, int depth) implements java.io.Serializable {
        public int count() {
            return labels.length;
        }
    }

    private Segmenter() {
    }

    /**
     * A training image's prototypes: its cells sorted (cells labelled {@link PixelSorting#IGNORE} left out), the
     * clusters split by {@code codes}, one prototype per segment with the segment's label (make-prototypes).
     */
    public static Prototypes trainingPrototypes(double[] embeddings, int offset, int depth, int h, int w,
                                                int[] codes, PixelSorting.Params params) {
        int[] clusters = PixelSorting.cluster(embeddings, offset, depth, h, w, codes, 0, params);
        PixelSorting.Segments s = PixelSorting.split(clusters, codes, 0);
        return new Prototypes(SegmentPrototypes.of(embeddings, offset, depth, s.segmentOf(), s.count()), s.labelOf(),
                depth);
    }

    /**
     * A training image's prototypes from clicks: every cell sorted, each cluster labelled by the clicks inside it
     * ({@link PixelSorting#labelByClicks}; {@code clicks} a label at clicked cells, 255 elsewhere), one prototype per
     * clicked cluster.
     */
    public static Prototypes clickedPrototypes(double[] embeddings, int offset, int depth, int h, int w,
                                               int[] clicks, PixelSorting.Params params) {
        int[] clusters = PixelSorting.cluster(embeddings, offset, depth, h, w, null, 0, params);
        PixelSorting.Segments s = PixelSorting.split(clusters, PixelSorting.labelByClicks(clusters, clicks, 0), 0);
        return new Prototypes(SegmentPrototypes.of(embeddings, offset, depth, s.segmentOf(), s.count()), s.labelOf(),
                depth);
    }

    /** A test image's segments: every cell sorted, one segment per cluster. */
    public static PixelSorting.Segments testSegments(double[] embeddings, int offset, int depth, int h, int w,
                                                     PixelSorting.Params params) {
        return PixelSorting.split(PixelSorting.cluster(embeddings, offset, depth, h, w, null, 0, params), null, 0);
    }

    /**
     * Labels per cell of a test image by nearest-segment retrieval against one table (all of it in memory): each
     * segment takes the majority label of its k nearest prototypes.
     */
    public static int[] labelCells(double[] embeddings, int offset, int depth, int h, int w,
                                   PixelSorting.Params params, Prototypes table, int k) {
        if (table.depth() != depth) {
            throw new IllegalArgumentException("prototype table of dimension " + table.depth() + " for embeddings of "
                    + depth + ": the table was made with another network");
        }
        PixelSorting.Segments s = testSegments(embeddings, offset, depth, h, w, params);
        double[] queries = SegmentPrototypes.of(embeddings, offset, depth, s.segmentOf(), s.count());
        int[] segmentLabels = NearestSegments.search(queries, depth, table.vectors(), table.labels(), 0, k).vote();
        int[] cells = new int[h * w];
        for (int c = 0; c < cells.length; c++) {
            cells[c] = segmentLabels[s.segmentOf()[c]];
        }
        return cells;
    }
}
