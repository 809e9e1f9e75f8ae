package org.wsss.seg;

import java.util.List;
import org.wsss.data.Point;

/**
 * PDML's online label extension (Eq. 6-7): M_score = pixels whose highest class probability exceeds the threshold
 * and whose argmax class is in the image's label set; M_region = the window x window squares centred on the
 * annotated points; the extended label is M_score ∩ M_region, with the argmax class. PDML trains the point-wise
 * loss on the points and on this extension; {@link #withPoints} merges both into one label map.
 */
public final class OnlineExtension {

    public static final double PDML_THRESHOLD = 0.7;
    public static final int PDML_WINDOW = 5;

    private OnlineExtension() {
    }

    /**
     * @param probs       class probabilities (K, height, width) row-major, K = C + 1 (0 background)
     * @param imageLabels the image's label set: classes an extended pixel may take (include 0 to let background
     *                    extend)
     * @param points      annotated points, in the coordinates of {@code probs}
     * @param window      odd side of the square around each point
     * @return (height, width) label map: the argmax class in the extension, {@link SegTargets#IGNORE} elsewhere
     */
    public static byte[] extend(float[] probs, int height, int width, int[] imageLabels, List<Point> points,
                                double threshold, int window) {
        int cells = height * width;
        if (cells < 1 || probs.length % cells != 0 || probs.length == 0) {
            throw new IllegalArgumentException("probs has " + probs.length + " values, not K planes of " + height
                    + "x" + width);
        }
        if (window < 1 || window % 2 == 0) {
            throw new IllegalArgumentException("extension window must be a positive odd size, got " + window);
        }
        int k = probs.length / cells;
        boolean[] allowed = new boolean[k];
        for (int c : imageLabels) {
            if (c < 0 || c >= k) {
                throw new IllegalArgumentException("image label " + c + " is not one of the " + k
                        + " classes of the probability map");
            }
            allowed[c] = true;
        }
        boolean[] region = new boolean[cells];
        int half = window / 2;
        for (Point p : points) {
            SegTargets.requireInside(p, width, height);
            for (int y = Math.max(0, p.y() - half); y <= Math.min(height - 1, p.y() + half); y++) {
                for (int x = Math.max(0, p.x() - half); x <= Math.min(width - 1, p.x() + half); x++) {
                    region[y * width + x] = true;
                }
            }
        }
        byte[] out = new byte[cells];
        for (int i = 0; i < cells; i++) {
            out[i] = (byte) SegTargets.IGNORE;
            if (!region[i]) {
                continue;
            }
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probs[c * cells + i] > probs[best * cells + i]) {
                    best = c;
                }
            }
            if (probs[best * cells + i] > threshold && allowed[best]) {
                out[i] = (byte) best;
            }
        }
        return out;
    }

    /** The extension with every annotated point set to its own class (points win over the extension). */
    public static byte[] withPoints(byte[] extended, int height, int width, List<Point> points) {
        if (extended.length != height * width) {
            throw new IllegalArgumentException("label map has " + extended.length + " values for " + width + "x"
                    + height);
        }
        byte[] out = extended.clone();
        for (Point p : points) {
            SegTargets.requireInside(p, width, height);
            out[p.y() * width + p.x()] = (byte) p.classIndex();
        }
        return out;
    }
}
