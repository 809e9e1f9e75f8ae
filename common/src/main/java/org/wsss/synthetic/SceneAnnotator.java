package org.wsss.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.wsss.data.Box;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;

/** Turns an instance ownership map into the ground truth: ignore-banded mask, labels and one point per instance. */
final class SceneAnnotator {
    private static final int FAR = Integer.MAX_VALUE / 4;
    /** A point is drawn among pixels at least this share of the instance's deepest distance from its edge. */
    private static final int DEPTH_PERCENT = 60;

    private SceneAnnotator() {
    }

    /**
     * Class of the owning instance, except 255 wherever an 8-neighbour belongs to another instance (or to
     * background): a two-pixel band straddling every boundary, between touching instances too.
     */
    static LabelMask mask(int[] owner, int[] classOf, int n) {
        byte[] labels = new byte[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int o = owner[y * n + x];
                boolean edge = false;
                for (int dy = -1; dy <= 1 && !edge; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < n && yy < n && owner[yy * n + xx] != o) {
                            edge = true;
                            break;
                        }
                    }
                }
                labels[y * n + x] = (byte) (edge ? LabelMask.IGNORE : classOf[o]);
            }
        }
        return new LabelMask(n, n, labels);
    }

    /**
     * VOC's SegmentationObject: the owning instance's number (1..N in placement order, 0 background) where the mask
     * has a label, 255 on its ignore band.
     */
    static LabelMask instances(int[] owner, LabelMask mask) {
        byte[] out = new byte[owner.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (mask.labels()[i] & 0xff) == LabelMask.IGNORE ? (byte) LabelMask.IGNORE : (byte) owner[i];
        }
        return new LabelMask(mask.width(), mask.height(), out);
    }

    /** Sorted distinct class values present in the mask (background and ignore excluded). */
    static int[] labels(LabelMask mask) {
        TreeSet<Integer> present = new TreeSet<>();
        for (byte b : mask.labels()) {
            int v = b & 0xff;
            if (v != 0 && v != LabelMask.IGNORE) {
                present.add(v);
            }
        }
        return present.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * One point per instance that has unignored pixels, drawn at random among its pixels deep inside it
     * (far from the ignore band and the image border), in painting order.
     */
    static List<Point> points(int[] owner, int[] classOf, LabelMask mask, SplittableRandom rng) {
        int n = mask.width();
        int[] depth = depthFromIgnore(mask);
        int instances = classOf.length - 1;
        int[] deepest = new int[instances + 1];
        for (int p = 0; p < n * n; p++) {
            if (owner[p] > 0 && depth[p] > 0) {
                deepest[owner[p]] = Math.max(deepest[owner[p]], depth[p]);
            }
        }
        int[] candidates = new int[instances + 1];
        for (int p = 0; p < n * n; p++) {
            int o = owner[p];
            if (o > 0 && deep(depth[p], deepest[o])) {
                candidates[o]++;
            }
        }
        int[] pick = new int[instances + 1];
        for (int k = 1; k <= instances; k++) {
            pick[k] = candidates[k] > 0 ? rng.nextInt(candidates[k]) : -1;
        }
        Point[] chosen = new Point[instances + 1];
        for (int p = 0; p < n * n; p++) {
            int o = owner[p];
            if (o > 0 && deep(depth[p], deepest[o]) && pick[o]-- == 0) {
                chosen[o] = new Point(p % n, p / n, classOf[o]);
            }
        }
        List<Point> points = new ArrayList<>();
        for (int k = 1; k <= instances; k++) {
            if (chosen[k] != null) {
                points.add(chosen[k]);
            }
        }
        return points;
    }

    /**
     * One box per instance that has unignored pixels, in painting order: the bounds of all the pixels it owns (its
     * visible extent, the ignore band included), as a VOC annotator draws it.
     */
    static List<Box> boxes(int[] owner, int[] classOf, LabelMask mask) {
        int n = mask.width();
        int instances = classOf.length - 1;
        int[] x0 = new int[instances + 1];
        int[] y0 = new int[instances + 1];
        int[] x1 = new int[instances + 1];
        int[] y1 = new int[instances + 1];
        boolean[] unignored = new boolean[instances + 1];
        java.util.Arrays.fill(x0, Integer.MAX_VALUE);
        java.util.Arrays.fill(y0, Integer.MAX_VALUE);
        for (int p = 0; p < n * n; p++) {
            int o = owner[p];
            if (o > 0) {
                x0[o] = Math.min(x0[o], p % n);
                y0[o] = Math.min(y0[o], p / n);
                x1[o] = Math.max(x1[o], p % n + 1);
                y1[o] = Math.max(y1[o], p / n + 1);
                unignored[o] |= (mask.labels()[p] & 0xff) != LabelMask.IGNORE;
            }
        }
        List<Box> boxes = new ArrayList<>();
        for (int k = 1; k <= instances; k++) {
            if (unignored[k]) {
                boxes.add(new Box(x0[k], y0[k], x1[k], y1[k], classOf[k]));
            }
        }
        return List.copyOf(boxes);
    }

    /**
     * Scribbles as an annotator draws them along the middle of each region: the ridge of the distance from the
     * ignore band (pixels no 4-neighbour of the same owner is deeper than) where the depth is at least half the
     * region's deepest, for every instance (its class) and for the background (0). 255 elsewhere.
     */
    static LabelMask scribbles(int[] owner, int[] classOf, LabelMask mask) {
        int n = mask.width();
        int[] depth = depthFromIgnore(mask);
        int[] deepest = new int[classOf.length];
        for (int p = 0; p < n * n; p++) {
            deepest[owner[p]] = Math.max(deepest[owner[p]], depth[p]);
        }
        byte[] labels = new byte[n * n];
        java.util.Arrays.fill(labels, (byte) LabelMask.IGNORE);
        for (int p = 0; p < n * n; p++) {
            int o = owner[p];
            int d = depth[p];
            if (d == 0 || d * 2 < deepest[o]) {
                continue;
            }
            int x = p % n;
            int y = p / n;
            boolean ridge = (x == 0 || owner[p - 1] != o || depth[p - 1] <= d)
                    && (x == n - 1 || owner[p + 1] != o || depth[p + 1] <= d)
                    && (y == 0 || owner[p - n] != o || depth[p - n] <= d)
                    && (y == n - 1 || owner[p + n] != o || depth[p + n] <= d);
            if (ridge) {
                labels[p] = (byte) classOf[o];
            }
        }
        return new LabelMask(n, n, labels);
    }

    private static boolean deep(int depth, int deepest) {
        return depth > 0 && depth * 100 >= deepest * DEPTH_PERCENT;
    }

    /** Chamfer (3-4) distance to the nearest ignore pixel, the outside of the image counting as ignore. */
    static int[] depthFromIgnore(LabelMask mask) {
        int n = mask.width();
        int[] d = new int[n * n];
        for (int p = 0; p < n * n; p++) {
            d[p] = (mask.labels()[p] & 0xff) == LabelMask.IGNORE ? 0 : FAR;
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int v = d[y * n + x];
                v = Math.min(v, at(d, n, x - 1, y) + 3);
                v = Math.min(v, at(d, n, x - 1, y - 1) + 4);
                v = Math.min(v, at(d, n, x, y - 1) + 3);
                v = Math.min(v, at(d, n, x + 1, y - 1) + 4);
                d[y * n + x] = v;
            }
        }
        for (int y = n - 1; y >= 0; y--) {
            for (int x = n - 1; x >= 0; x--) {
                int v = d[y * n + x];
                v = Math.min(v, at(d, n, x + 1, y) + 3);
                v = Math.min(v, at(d, n, x + 1, y + 1) + 4);
                v = Math.min(v, at(d, n, x, y + 1) + 3);
                v = Math.min(v, at(d, n, x - 1, y + 1) + 4);
                d[y * n + x] = v;
            }
        }
        return d;
    }

    private static int at(int[] d, int n, int x, int y) {
        return x < 0 || y < 0 || x >= n || y >= n ? 0 : d[y * n + x];
    }
}
