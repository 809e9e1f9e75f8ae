package org.wsss.data;

import java.util.ArrayList;
import java.util.List;

/**
 * ingest.max-long-side: an image, its mask and its points brought to one smaller size together, so that every
 * later stage (evaluation included) sees them aligned at that size.
 */
final class IngestDownscale {
    /** JPEG quality of a downscaled JPEG: close to lossless, still far smaller than the original. */
    static final float JPEG_QUALITY = 0.95f;

    private IngestDownscale() {
    }

    /** {width, height} with the long side {@code maxLongSide} and the aspect ratio kept (each side at least 1). */
    static int[] targetSize(int width, int height, int maxLongSide) {
        double scale = (double) maxLongSide / Math.max(width, height);
        return new int[]{Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
    }

    /**
     * Each output pixel is the mean of the source pixels of its cell (rounded); a smaller image only, so no cell
     * is empty. Unlike a bilinear resize it uses every source pixel, so a large reduction does not alias.
     */
    static RgbImage areaAverage(RgbImage img, int w, int h) {
        int sw = img.width();
        int sh = img.height();
        if (w > sw || h > sh) {
            throw new IllegalArgumentException(sw + "x" + sh + " cannot be area-averaged up to " + w + "x" + h);
        }
        byte[] src = img.rgb();
        byte[] out = new byte[w * h * 3];
        long[] sums = new long[w * 3];
        for (int y = 0; y < h; y++) {
            int y0 = (int) ((long) y * sh / h);
            int y1 = (int) ((long) (y + 1) * sh / h);
            java.util.Arrays.fill(sums, 0);
            for (int sy = y0; sy < y1; sy++) {
                for (int x = 0; x < w; x++) {
                    int x0 = (int) ((long) x * sw / w);
                    int x1 = (int) ((long) (x + 1) * sw / w);
                    for (int sx = x0; sx < x1; sx++) {
                        int p = (sy * sw + sx) * 3;
                        sums[x * 3] += src[p] & 0xff;
                        sums[x * 3 + 1] += src[p + 1] & 0xff;
                        sums[x * 3 + 2] += src[p + 2] & 0xff;
                    }
                }
            }
            for (int x = 0; x < w; x++) {
                long n = (long) (y1 - y0) * (int) ((long) (x + 1) * sw / w - (long) x * sw / w);
                for (int c = 0; c < 3; c++) {
                    out[(y * w + x) * 3 + c] = (byte) ((sums[x * 3 + c] + n / 2) / n);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The mask at the new size, nearest neighbour: labels are never blended. */
    static LabelMask mask(LabelMask mask, int w, int h) {
        return new LabelMask(w, h, LabelMask.resizeNearest(mask.labels(), mask.height(), mask.width(), h, w));
    }

    /** Each box scaled, its bounds rounded outwards, so it still covers its object. */
    static List<Box> boxes(List<Box> boxes, int sw, int sh, int w, int h) {
        List<Box> out = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            int x0 = (int) Math.floor((double) b.x0() * w / sw);
            int y0 = (int) Math.floor((double) b.y0() * h / sh);
            int x1 = Math.min(w, Math.max(x0 + 1, (int) Math.ceil((double) b.x1() * w / sw)));
            int y1 = Math.min(h, Math.max(y0 + 1, (int) Math.ceil((double) b.y1() * h / sh)));
            out.add(new Box(x0, y0, x1, y1, b.classIndex()));
        }
        return out;
    }

    /** Each point moved to the output pixel that covers it. */
    static List<Point> points(List<Point> points, int sw, int sh, int w, int h) {
        List<Point> out = new ArrayList<>(points.size());
        for (Point p : points) {
            out.add(new Point(Math.min(w - 1, (int) ((p.x() + 0.5) * w / sw)),
                    Math.min(h - 1, (int) ((p.y() + 0.5) * h / sh)), p.classIndex()));
        }
        return out;
    }
}
