package org.wsss.irn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.wsss.nn.ImageTensors;

/**
 * IRNet's instance masks from its displacement field and boundary map (irn's make_ins_seg_labels.py):
 * <ol>
 *   <li>centroids: every cell moved along the (bilinearly read) field for {@code iterations} steps, clipped to the
 *   grid, then rounded ({@link #centroids});</li>
 *   <li>instances: the connected regions (4-neighbours) where the field is weaker than {@code threshold} cells (2.5)
 *   are the centroids; each cell belongs to the region its centroid lands in, cells landing outside every region
 *   forming one more group ({@link #instances});</li>
 *   <li>each class's CAM times each instance's mask is walked on the boundary affinities (as {@link IrnWalk}),
 *   upsampled, divided by the global maximum and set against a constant background; the argmax gives one map per
 *   (class, instance); each connected piece of it is one detection, scored by the largest walked value inside it,
 *   0 when the piece covers less than 1% of the image ({@link #detect}).</li>
 * </ol>
 */
public final class InstanceMasks {

    /** One detected instance: class 1..C, score, and its mask (imageH x imageW, true inside). */
    public record Detection(int classIndex, double score, boolean[] mask) {
    }

    private InstanceMasks() {
    }

    /**
     * For every cell of an h x w grid, the cell (row-major index) where following the field {@code dp} ((dy plane,
     * dx plane), in cells) for {@code iterations} steps ends.
     */
    public static int[] centroids(float[] dp, int h, int w, int iterations) {
        int n = h * w;
        if (dp.length != 2 * n) {
            throw new IllegalArgumentException("displacement field has " + dp.length + " values for 2 x " + h + "x" + w);
        }
        double[] cy = new double[n];
        double[] cx = new double[n];
        for (int i = 0; i < n; i++) {
            cy[i] = i / w;
            cx[i] = i % w;
        }
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                double y = cy[i];
                double x = cx[i];
                int y0 = (int) Math.floor(y);
                int x0 = (int) Math.floor(x);
                int y1 = (int) Math.ceil(y);
                int x1 = (int) Math.ceil(x);
                double fy = y - y0;
                double fx = x - x0;
                double[] move = new double[2];
                for (int c = 0; c < 2; c++) {
                    int base = c * n;
                    move[c] = dp[base + y1 * w + x1] * fy * fx + dp[base + y0 * w + x1] * (1 - fy) * fx
                            + dp[base + y1 * w + x0] * fy * (1 - fx) + dp[base + y0 * w + x0] * (1 - fy) * (1 - fx);
                }
                cy[i] = Math.min(Math.max(y + move[0], 0), h - 1);
                cx[i] = Math.min(Math.max(x + move[1], 0), w - 1);
            }
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.round(cy[i]) * w + (int) Math.round(cx[i]);
        }
        return out;
    }

    /**
     * Instance ids 0..K-1 of the cells: cells whose centroids land in one weak-field region share an id; ids are
     * numbered in the order the cells are met, row-major, and cells landing outside every region share one id.
     */
    public static int[] instances(int[] centroids, float[] dp, int h, int w, double threshold) {
        int n = h * w;
        boolean[] weak = new boolean[n];
        for (int i = 0; i < n; i++) {
            weak[i] = Math.hypot(dp[i], dp[n + i]) < threshold;
        }
        int[] region = components(weak, h, w);
        int[] ids = new int[n];
        int[] renumber = new int[n + 2];
        Arrays.fill(renumber, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = region[centroids[i]] + 1; // 0: outside every region
            if (renumber[r] < 0) {
                renumber[r] = next++;
            }
            ids[i] = renumber[r];
        }
        return ids;
    }

    /** Connected components (4-neighbours) of the true cells, numbered from 1 in row-major order; -1 elsewhere. */
    static int[] components(boolean[] on, int h, int w) {
        int[] label = new int[on.length];
        Arrays.fill(label, -1);
        int next = 0;
        int[] stack = new int[on.length];
        for (int s = 0; s < on.length; s++) {
            if (!on[s] || label[s] >= 0) {
                continue;
            }
            int top = 0;
            stack[top++] = s;
            label[s] = next;
            while (top > 0) {
                int c = stack[--top];
                int y = c / w;
                int x = c % w;
                int[] nb = {y > 0 ? c - w : -1, y < h - 1 ? c + w : -1, x > 0 ? c - 1 : -1, x < w - 1 ? c + 1 : -1};
                for (int d : nb) {
                    if (d >= 0 && on[d] && label[d] < 0) {
                        label[d] = next;
                        stack[top++] = d;
                    }
                }
            }
            next++;
        }
        return label;
    }

    /**
     * The detections of one image.
     *
     * @param boundary  the boundary map (h, w)
     * @param dpField   the displacement field (2, h, w)
     * @param cams      the classes' CAMs on the same grid (K, h, w)
     * @param classes   the classes 1..C of the CAMs
     * @param bgScore   the constant background after the global normalisation (irn's ins_seg_bg_thres: 0.25)
     */
    public static List<Detection> detect(float[] boundary, float[] dpField, int h, int w, float[] cams, int[] classes,
                                         int imageH, int imageW, IrnWalk walk, double bgScore) {
        int n = h * w;
        int[] ids = instances(centroids(dpField, h, w, 300), dpField, h, w, 2.5);
        int k = Arrays.stream(ids).max().orElse(-1) + 1;
        int maps = classes.length * k;
        List<Detection> out = new ArrayList<>();
        if (maps == 0) {
            return out;
        }
        float[] split = new float[maps * n];
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < n; i++) {
                split[(c * k + ids[i]) * n + i] = cams[c * n + i];
            }
        }
        float[] walked = walk.walk(boundary, h, w, split, maps);
        float[] up = ImageTensors.resizeMaps(walked, maps, h, w, imageH, imageW);
        float max = 0;
        for (float v : up) {
            max = Math.max(max, v);
        }
        int pixels = imageH * imageW;
        int[] winner = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            double best = bgScore;
            int at = -1;
            for (int m = 0; m < maps; m++) {
                double v = max > 0 ? up[m * pixels + p] / max : 0;
                if (v > best) {
                    best = v;
                    at = m;
                }
            }
            winner[p] = at;
        }
        for (int m = 0; m < maps; m++) {
            boolean[] mine = new boolean[pixels];
            boolean any = false;
            for (int p = 0; p < pixels; p++) {
                mine[p] = winner[p] == m;
                any |= mine[p];
            }
            if (!any) {
                continue;
            }
            int[] pieces = components(mine, imageH, imageW);
            int count = Arrays.stream(pieces).max().orElse(-1) + 1;
            for (int piece = 0; piece < count; piece++) {
                boolean[] mask = new boolean[pixels];
                int size = 0;
                double score = 0;
                for (int p = 0; p < pixels; p++) {
                    if (pieces[p] == piece) {
                        mask[p] = true;
                        size++;
                        score = Math.max(score, max > 0 ? up[m * pixels + p] / max : 0);
                    }
                }
                out.add(new Detection(classes[m / k], size < 0.01 * pixels ? 0 : score, mask));
            }
        }
        return out;
    }
}
