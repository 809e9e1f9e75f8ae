package org.wsss.segsort;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * SLIC superpixels (Achanta et al., TPAMI 2012): the over-segmentation behind SegSort's unsupervised mode.
 *
 * <p>SegSort's own unsupervised segments come from HED contours and OWT-UCM; HED is a trained edge network whose
 * weights this project cannot fetch, and OWT-UCM is a MATLAB toolkit. SLIC needs neither: it is k-means of pixels
 * in colour and position, each centre searching only a 2S x 2S window (S the grid step), so it costs a few passes
 * over the image, and its regions follow colour edges, which is what the unsupervised loss needs from them.
 *
 * <p>Colours come as planes of any colour space; they are standardised per image first (divided by the pooled
 * standard deviation of all planes), so the compactness means the same under any input normalisation: a pixel one
 * grid step from a centre costs as much as a colour difference of {@code compactness} standard deviations. Centres
 * start on a regular grid (moved to the lowest colour gradient of their 3x3 neighbourhood), iterate a fixed number of
 * times, and a last pass makes every region 4-connected: each 4-connected piece of a label is a region of its own,
 * and pieces smaller than a quarter of S x S join a neighbouring region. Regions are numbered 0..n-1 in
 * raster order of their first pixel.
 */
public final class Superpixels {

    /** Count of starting superpixels, compactness (colour standard deviations per grid step), iterations. */
    public record Params(int count, double compactness, int iterations) implements java.io.Serializable {
        public static final Params DEFAULTS = new Params(25, 0.5, 10);

        public Params {
            // connected pieces of at least a quarter grid cell: at most 4 count regions, each one label under 255
            if (count < 1 || count > 63) {
                throw new IllegalArgumentException("segsort.superpixels must be in 1..63, got " + count);
            }
            if (!(compactness > 0) || Double.isInfinite(compactness)) {
                throw new IllegalArgumentException("segsort.superpixel-compactness must be a finite number > 0, got "
                        + compactness);
            }
            if (iterations < 1 || iterations > 100) {
                throw new IllegalArgumentException("superpixel iterations must be in 1..100, got " + iterations);
            }
        }
    }

    private Superpixels() {
    }

    /**
     * Region per pixel, 0..n-1, for an image of {@code channels} planes of {@code h * w} values from {@code offset}
     * (planar, as an NCHW tensor holds one image).
     */
    public static int[] slic(float[] planes, int offset, int channels, int h, int w, Params params) {
        int n = h * w;
        if (channels < 1 || h < 1 || w < 1 || offset < 0 || offset + (long) channels * n > planes.length) {
            throw new IllegalArgumentException("superpixels: " + channels + " planes of " + h + "x" + w + " from "
                    + offset + " do not fit " + planes.length + " values");
        }
        double[] colour = standardised(planes, offset, channels, n);
        double step = Math.sqrt((double) n / params.count());
        int gridY = Math.max(1, (int) Math.round(h / step));
        int gridX = Math.max(1, (int) Math.round(w / step));
        int k = gridY * gridX;
        int dim = channels + 2;
        double[] centres = new double[k * dim];
        for (int gy = 0; gy < gridY; gy++) {
            for (int gx = 0; gx < gridX; gx++) {
                int y = Math.min(h - 1, (int) ((gy + 0.5) * h / gridY));
                int x = Math.min(w - 1, (int) ((gx + 0.5) * w / gridX));
                int p = lowestGradient(colour, channels, h, w, y, x);
                int j = gy * gridX + gx;
                for (int c = 0; c < channels; c++) {
                    centres[j * dim + c] = colour[c * n + p];
                }
                centres[j * dim + channels] = p / w;
                centres[j * dim + channels + 1] = p % w;
            }
        }
        double spatial = params.compactness() * params.compactness() / (step * step);
        int window = (int) Math.ceil(step);
        int[] label = new int[n];
        double[] distance = new double[n];
        double[] sums = new double[k * dim];
        int[] counts = new int[k];
        for (int it = 0; it < params.iterations(); it++) {
            Arrays.fill(label, -1);
            Arrays.fill(distance, Double.POSITIVE_INFINITY);
            for (int j = 0; j < k; j++) {
                if (counts[j] < 0) {
                    continue;
                }
                double cy = centres[j * dim + channels];
                double cx = centres[j * dim + channels + 1];
                int y0 = Math.max(0, (int) Math.floor(cy - window));
                int y1 = Math.min(h - 1, (int) Math.ceil(cy + window));
                int x0 = Math.max(0, (int) Math.floor(cx - window));
                int x1 = Math.min(w - 1, (int) Math.ceil(cx + window));
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        int p = y * w + x;
                        double dc = 0;
                        for (int c = 0; c < channels; c++) {
                            double d = colour[c * n + p] - centres[j * dim + c];
                            dc += d * d;
                        }
                        double dy = y - cy;
                        double dx = x - cx;
                        double d = dc + (dy * dy + dx * dx) * spatial;
                        if (d < distance[p]) {
                            distance[p] = d;
                            label[p] = j;
                        }
                    }
                }
            }
            Arrays.fill(sums, 0);
            Arrays.fill(counts, 0);
            for (int p = 0; p < n; p++) {
                int j = label[p];
                if (j < 0) {
                    continue;
                }
                counts[j]++;
                for (int c = 0; c < channels; c++) {
                    sums[j * dim + c] += colour[c * n + p];
                }
                sums[j * dim + channels] += p / w;
                sums[j * dim + channels + 1] += p % w;
            }
            for (int j = 0; j < k; j++) {
                if (counts[j] == 0) {
                    counts[j] = -1; // lost all its pixels: it searches no more
                    continue;
                }
                for (int d = 0; d < dim; d++) {
                    centres[j * dim + d] = sums[j * dim + d] / counts[j];
                }
            }
        }
        // a pixel no window reached (possible only when centres drift apart) joins its nearest centre by position
        for (int p = 0; p < n; p++) {
            if (label[p] < 0) {
                label[p] = nearestCentre(centres, counts, dim, channels, p / w, p % w);
            }
        }
        return connected(label, h, w, Math.max(1, (int) (step * step / 4)));
    }

    /** Colour planes divided by the pooled standard deviation of all of them (a flat image is left as it is). */
    private static double[] standardised(float[] planes, int offset, int channels, int n) {
        double[] out = new double[channels * n];
        double sq = 0;
        for (int c = 0; c < channels; c++) {
            double mean = 0;
            for (int p = 0; p < n; p++) {
                mean += planes[offset + c * n + p];
            }
            mean /= n;
            for (int p = 0; p < n; p++) {
                double v = planes[offset + c * n + p] - mean;
                out[c * n + p] = v;
                sq += v * v;
            }
        }
        double std = Math.sqrt(sq / ((double) channels * n));
        if (std > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= std;
            }
        }
        return out;
    }

    /** The pixel of lowest colour gradient (squared central differences) in the 3x3 neighbourhood of (y, x). */
    private static int lowestGradient(double[] colour, int channels, int h, int w, int y, int x) {
        int n = h * w;
        int best = y * w + x;
        double bestGradient = Double.POSITIVE_INFINITY;
        for (int yy = Math.max(1, y - 1); yy <= Math.min(h - 2, y + 1); yy++) {
            for (int xx = Math.max(1, x - 1); xx <= Math.min(w - 2, x + 1); xx++) {
                double g = 0;
                for (int c = 0; c < channels; c++) {
                    double gx = colour[c * n + yy * w + xx + 1] - colour[c * n + yy * w + xx - 1];
                    double gy = colour[c * n + (yy + 1) * w + xx] - colour[c * n + (yy - 1) * w + xx];
                    g += gx * gx + gy * gy;
                }
                if (g < bestGradient) {
                    bestGradient = g;
                    best = yy * w + xx;
                }
            }
        }
        return best;
    }

    private static int nearestCentre(double[] centres, int[] counts, int dim, int channels, int y, int x) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] < 0) {
                continue;
            }
            double dy = y - centres[j * dim + channels];
            double dx = x - centres[j * dim + channels + 1];
            if (dy * dy + dx * dx < bestD) {
                bestD = dy * dy + dx * dx;
                best = j;
            }
        }
        return best;
    }

    /**
     * Every 4-connected piece of one label becomes a region; a piece under {@code minSize} pixels joins the region
     * of the pixel before its first pixel in raster order (its left or upper neighbour, so the region stays
     * connected); the piece at the first pixel stays whatever its size. Regions numbered in raster order of their
     * first pixel.
     */
    static int[] connected(int[] label, int h, int w, int minSize) {
        int n = h * w;
        int[] region = new int[n];
        Arrays.fill(region, -1);
        int regions = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int[] piece = new int[n];
        for (int start = 0; start < n; start++) {
            if (region[start] >= 0) {
                continue;
            }
            int count = 0;
            region[start] = regions;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                piece[count++] = p;
                int y = p / w;
                int x = p % w;
                if (x > 0) {
                    visit(p - 1, label[start], label, region, regions, queue);
                }
                if (x < w - 1) {
                    visit(p + 1, label[start], label, region, regions, queue);
                }
                if (y > 0) {
                    visit(p - w, label[start], label, region, regions, queue);
                }
                if (y < h - 1) {
                    visit(p + w, label[start], label, region, regions, queue);
                }
            }
            // raster order: the pixel before the piece's first one belongs to an earlier piece
            if (count < minSize && start > 0) {
                int into = region[start % w > 0 ? start - 1 : start - w];
                for (int i = 0; i < count; i++) {
                    region[piece[i]] = into;
                }
            } else {
                regions++;
            }
        }
        return region;
    }

    private static void visit(int q, int wanted, int[] label, int[] region, int id, ArrayDeque<Integer> queue) {
        if (region[q] < 0 && label[q] == wanted) {
            region[q] = id;
            queue.add(q);
        }
    }
}
