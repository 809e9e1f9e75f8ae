package org.wsss.irn;

import org.wsss.affinity.AffinityField;

/**
 * IRNet's inter-pixel affinity from a class-boundary map B (values in [0, 1], (height, width) row-major): for each
 * forward-half disc pair (i, j), a = 1 - max of B over the path from i to j ({@link BoundaryPaths}); 0 where j is
 * off the grid. Planes are (offset, cell) as {@link AffinityField} and the affinity layer order them.
 */
public final class BoundaryAffinity {

    private BoundaryAffinity() {
    }

    /** Affinities (P, h, w), and in {@code argmax} (when not null, P*h*w long) the path cell each maximum came from. */
    static double[] forward(double[] boundary, int h, int w, BoundaryPaths paths, int[] argmax) {
        int cells = h * w;
        double[] out = new double[paths.size() * cells];
        for (int o = 0; o < paths.size(); o++) {
            int ty = paths.offsets().dy()[o];
            int tx = paths.offsets().dx()[o];
            int[] py = paths.dy()[o];
            int[] px = paths.dx()[o];
            for (int y = 0; y + ty < h; y++) {
                for (int x = Math.max(0, -tx); x < Math.min(w, w - tx); x++) {
                    double max = Double.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int k = 0; k < py.length; k++) {
                        int c = (y + py[k]) * w + x + px[k];
                        if (boundary[c] > max) {
                            max = boundary[c];
                            at = c;
                        }
                    }
                    int i = o * cells + y * w + x;
                    out[i] = 1 - max;
                    if (argmax != null) {
                        argmax[i] = at;
                    }
                }
            }
            if (argmax != null) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (y + ty >= h || x + tx < 0 || x + tx >= w) {
                            argmax[o * cells + y * w + x] = -1;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** dL/dB from dL/da: each pair's gradient goes, negated, to the path cell that held its maximum. */
    static double[] backward(double[] boundary, int h, int w, BoundaryPaths paths, double[] upstream) {
        int[] argmax = new int[paths.size() * h * w];
        forward(boundary, h, w, paths, argmax);
        double[] grad = new double[boundary.length];
        for (int i = 0; i < argmax.length; i++) {
            if (argmax[i] >= 0) {
                grad[argmax[i]] -= upstream[i];
            }
        }
        return grad;
    }

    /** The affinity field the random walk takes, from one image's boundary map. */
    public static AffinityField field(float[] boundary, int height, int width, int radius) {
        if (height < 1 || width < 1 || boundary.length != height * width) {
            throw new IllegalArgumentException("boundary map has " + boundary.length + " values for a " + height
                    + "x" + width + " grid");
        }
        double[] b = new double[boundary.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = boundary[i];
        }
        BoundaryPaths paths = BoundaryPaths.of(radius);
        double[] a = forward(b, height, width, paths, null);
        int cells = height * width;
        float[][] planes = new float[paths.size()][cells];
        for (int o = 0; o < paths.size(); o++) {
            for (int c = 0; c < cells; c++) {
                planes[o][c] = (float) a[o * cells + c];
            }
        }
        return new AffinityField(height, width, paths.offsets(), planes);
    }
}
