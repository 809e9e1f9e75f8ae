package org.wsss.seg;

import org.wsss.data.LabelMask;
import org.wsss.data.Point;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Point annotations simulated from a ground-truth mask, for experiments with point supervision on datasets that
 * have masks but no clicks: one point per connected region (4-connected) of each class, background included (PDML
 * clicks every "stuff" region, background among them). The point is drawn at random among the region's pixels whose
 * distance to the region's edge is at least half its deepest pixel's, as an annotator clicks well inside an object.
 * Regions smaller than {@code minPixels} get no point; 255 pixels are never chosen.
 */
public final class PointSampler {

    private PointSampler() {
    }

    public static List<Point> sample(LabelMask mask, int minPixels, long seed) {
        int w = mask.width();
        int h = mask.height();
        byte[] labels = mask.labels();
        int[] region = new int[w * h];
        java.util.Arrays.fill(region, -1);
        int[] depth = depthToEdge(labels, w, h);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Point> points = new ArrayList<>();
        int[] queue = new int[w * h];
        int regions = 0;
        for (int start = 0; start < w * h; start++) {
            int cls = labels[start] & 0xff;
            if (region[start] >= 0 || cls == LabelMask.IGNORE) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            region[start] = regions;
            int deepest = 0;
            while (head < tail) {
                int p = queue[head++];
                deepest = Math.max(deepest, depth[p]);
                int x = p % w;
                int y = p / w;
                tail = visit(labels, region, queue, tail, cls, regions, x > 0 ? p - 1 : -1);
                tail = visit(labels, region, queue, tail, cls, regions, x < w - 1 ? p + 1 : -1);
                tail = visit(labels, region, queue, tail, cls, regions, y > 0 ? p - w : -1);
                tail = visit(labels, region, queue, tail, cls, regions, y < h - 1 ? p + w : -1);
            }
            if (tail >= minPixels) {
                int candidates = 0;
                for (int i = 0; i < tail; i++) {
                    if (2 * depth[queue[i]] >= deepest) {
                        candidates++;
                    }
                }
                int pick = rng.nextInt(candidates);
                for (int i = 0; i < tail; i++) {
                    if (2 * depth[queue[i]] >= deepest && pick-- == 0) {
                        points.add(new Point(queue[i] % w, queue[i] / w, cls));
                        break;
                    }
                }
            }
            regions++;
        }
        return points;
    }

    private static int visit(byte[] labels, int[] region, int[] queue, int tail, int cls, int id, int q) {
        if (q >= 0 && region[q] < 0 && (labels[q] & 0xff) == cls) {
            region[q] = id;
            queue[tail++] = q;
        }
        return tail;
    }

    /**
     * City-block distance of every pixel to the nearest pixel of another label or to the image border (1 for a
     * pixel on the edge), by two raster passes.
     */
    static int[] depthToEdge(byte[] labels, int w, int h) {
        int[] d = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                boolean edge = x == 0 || y == 0 || labels[p - 1] != labels[p] || labels[p - w] != labels[p];
                d[p] = edge ? 1 : Math.min(d[p - 1], d[p - w]) + 1;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int p = y * w + x;
                boolean edge = x == w - 1 || y == h - 1 || labels[p + 1] != labels[p] || labels[p + w] != labels[p];
                d[p] = edge ? 1 : Math.min(d[p], Math.min(d[p + 1], d[p + w]) + 1);
            }
        }
        return d;
    }
}
