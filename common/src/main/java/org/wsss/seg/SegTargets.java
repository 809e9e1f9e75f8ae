package org.wsss.seg;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;

/**
 * Training targets of {@link SegNets} on the score grid: label maps (0 background, 1..C, 255 unlabelled) brought
 * from image pixels down to the grid of an output stride, and the {@code MultiDataSet} the nets train on.
 *
 * <p>Grid cell (gy, gx) covers pixels [gy*s, (gy+1)*s) x [gx*s, (gx+1)*s) (clipped to the image), the receptive
 * centre of a stride-s "Same" network. A cell takes the majority class of its labelled pixels; a tie between
 * classes, or no labelled pixel, leaves it unlabelled. The same rule serves dense pseudo-labels (a vote near
 * boundaries) and sparse points (a cell with one point takes its class, two conflicting points cancel).
 */
public final class SegTargets {

    public static final int IGNORE = LabelMask.IGNORE;

    private SegTargets() {
    }

    /** Labels (h, w) row-major as unsigned bytes -> grid labels (ceil(h/s), ceil(w/s)) as float codes. */
    public static float[] toGrid(byte[] labels, int width, int height, int stride) {
        if (labels.length != width * height) {
            throw new IllegalArgumentException("label map has " + labels.length + " values for " + width + "x"
                    + height);
        }
        int gh = SegNets.gridSize(height, stride);
        int gw = SegNets.gridSize(width, stride);
        float[] grid = new float[gh * gw];
        int[] votes = new int[256];
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                java.util.Arrays.fill(votes, 0);
                for (int y = gy * stride; y < Math.min(height, (gy + 1) * stride); y++) {
                    for (int x = gx * stride; x < Math.min(width, (gx + 1) * stride); x++) {
                        votes[labels[y * width + x] & 0xff]++;
                    }
                }
                int best = IGNORE;
                int bestVotes = 0;
                boolean tie = false;
                for (int c = 0; c < IGNORE; c++) {
                    if (votes[c] > bestVotes) {
                        best = c;
                        bestVotes = votes[c];
                        tie = false;
                    } else if (votes[c] == bestVotes && bestVotes > 0) {
                        tie = true;
                    }
                }
                grid[gy * gw + gx] = tie ? IGNORE : best;
            }
        }
        return grid;
    }

    /** A label map of the image with each point's class at its pixel and 255 elsewhere (a later point wins). */
    public static byte[] pointMap(List<Point> points, int width, int height) {
        byte[] map = new byte[width * height];
        java.util.Arrays.fill(map, (byte) IGNORE);
        for (Point p : points) {
            requireInside(p, width, height);
            if (p.classIndex() < 0 || p.classIndex() >= IGNORE) {
                throw new IllegalArgumentException("point " + p + " has class " + p.classIndex()
                        + "; classes are 0..254");
            }
            map[p.y() * width + p.x()] = (byte) p.classIndex();
        }
        return map;
    }

    /** Points of an image (pixel coordinates) on the score grid, for the embedding head. */
    public static float[] pointsToGrid(List<Point> points, int width, int height, int stride) {
        return toGrid(pointMap(points, width, height), width, height, stride);
    }

    /**
     * The minibatch {@link SegNets} trains on: features [images], labels [class labels [N, h*w], point labels
     * [N, h*w]] in the nets' output order.
     *
     * @param images      [N, 3, H, W] as {@code ImageTensors.toBatch} makes them
     * @param outputStride the net's ({@link SegNets#outputStride}); label maps have ceil(H/s) * ceil(W/s) cells
     * @param classLabels per image, grid labels for the classifier (pseudo-labels, points or extended points)
     * @param pointLabels per image, grid labels of the annotated points for the triplet loss; null (the array or an
     *                    entry) when there are none, e.g. when training on pseudo-labels only
     */
    public static MultiDataSet batch(INDArray images, int outputStride, float[][] classLabels,
                                     float[][] pointLabels) {
        int n = (int) images.size(0);
        if (images.rank() != 4 || classLabels.length != n || (pointLabels != null && pointLabels.length != n)) {
            throw new IllegalArgumentException("batch of " + n + " images needs " + n + " label maps per head, got "
                    + classLabels.length + " and " + (pointLabels == null ? "none" : pointLabels.length));
        }
        int cells = SegNets.gridSize((int) images.size(2), outputStride)
                * SegNets.gridSize((int) images.size(3), outputStride);
        float[] cls = new float[n * cells];
        float[] pts = new float[n * cells];
        java.util.Arrays.fill(pts, IGNORE);
        for (int i = 0; i < n; i++) {
            requireLength(classLabels[i], cells, "class labels", i);
            System.arraycopy(classLabels[i], 0, cls, i * cells, cells);
            if (pointLabels != null && pointLabels[i] != null) {
                requireLength(pointLabels[i], cells, "point labels", i);
                System.arraycopy(pointLabels[i], 0, pts, i * cells, cells);
            }
        }
        DataType type = images.dataType();
        return new MultiDataSet(new INDArray[]{images},
                new INDArray[]{Nd4j.createFromArray(cls).reshape(n, cells).castTo(type),
                        Nd4j.createFromArray(pts).reshape(n, cells).castTo(type)});
    }

    private static void requireLength(float[] labels, int cells, String what, int image) {
        if (labels == null || labels.length != cells) {
            throw new IllegalArgumentException(what + " of image " + image + " have "
                    + (labels == null ? "no" : labels.length) + " cells, expected " + cells
                    + " (the score grid of the images)");
        }
    }

    static void requireInside(Point p, int width, int height) {
        if (p.x() < 0 || p.y() < 0 || p.x() >= width || p.y() >= height) {
            throw new IllegalArgumentException("point " + p + " lies outside the " + width + "x" + height
                    + " map");
        }
    }
}
