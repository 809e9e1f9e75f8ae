package org.wsss.nn;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.data.RgbImage;

/**
 * Conversions between {@link RgbImage} and network input tensors, and the resampling used around the
 * networks. Bilinear resampling uses pixel centres (PyTorch's {@code align_corners=False}, the mode of
 * psa/irn's CAM resizing): output pixel i samples source coordinate (i + 0.5) * in / out - 0.5, clamped
 * to the image.
 */
public final class ImageTensors {
    /** ImageNet statistics of RGB values in [0, 1], as used by the pretrained backbones. */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private ImageTensors() {
    }

    /** NCHW float tensor [1, 3, H, W] with (value / 255 - mean) / std per channel ({@link InputNorm#TORCHVISION}). */
    public static INDArray toInput(RgbImage img) {
        return InputNorm.TORCHVISION.toInput(img);
    }

    /** NCHW float tensor [N, 3, H, W] of images that all have the same size ({@link InputNorm#TORCHVISION}). */
    public static INDArray toBatch(List<RgbImage> images) {
        return InputNorm.TORCHVISION.toBatch(images);
    }

    /** Bilinear resize to w x h, rounded to the nearest 8-bit value. */
    public static RgbImage resize(RgbImage img, int w, int h) {
        requireSize(w, h);
        if (w == img.width() && h == img.height()) {
            return img;
        }
        int sw = img.width();
        int sh = img.height();
        Taps xs = taps(sw, w);
        Taps ys = taps(sh, h);
        byte[] src = img.rgb();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int r0 = ys.lo[y] * sw;
            int r1 = ys.hi[y] * sw;
            float fy = ys.frac[y];
            for (int x = 0; x < w; x++) {
                float fx = xs.frac[x];
                int p00 = (r0 + xs.lo[x]) * 3;
                int p01 = (r0 + xs.hi[x]) * 3;
                int p10 = (r1 + xs.lo[x]) * 3;
                int p11 = (r1 + xs.hi[x]) * 3;
                for (int c = 0; c < 3; c++) {
                    float top = (src[p00 + c] & 0xff) * (1 - fx) + (src[p01 + c] & 0xff) * fx;
                    float bottom = (src[p10 + c] & 0xff) * (1 - fx) + (src[p11 + c] & 0xff) * fx;
                    out[(y * w + x) * 3 + c] = (byte) clampByte(Math.round(top * (1 - fy) + bottom * fy));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Bilinear resize of k stacked maps, row-major [k, h, w] -> [k, newH, newW]. */
    public static float[] resizeMaps(float[] maps, int k, int h, int w, int newH, int newW) {
        if (maps.length != k * h * w) {
            throw new IllegalArgumentException("maps has " + maps.length + " values for " + k + "x" + h + "x" + w);
        }
        requireSize(newW, newH);
        if (newH == h && newW == w) {
            return maps.clone();
        }
        Taps xs = taps(w, newW);
        Taps ys = taps(h, newH);
        float[] out = new float[k * newH * newW];
        for (int m = 0; m < k; m++) {
            int base = m * h * w;
            int outBase = m * newH * newW;
            for (int y = 0; y < newH; y++) {
                int r0 = base + ys.lo[y] * w;
                int r1 = base + ys.hi[y] * w;
                float fy = ys.frac[y];
                for (int x = 0; x < newW; x++) {
                    float fx = xs.frac[x];
                    float top = maps[r0 + xs.lo[x]] * (1 - fx) + maps[r0 + xs.hi[x]] * fx;
                    float bottom = maps[r1 + xs.lo[x]] * (1 - fx) + maps[r1 + xs.hi[x]] * fx;
                    out[outBase + y * newW + x] = top * (1 - fy) + bottom * fy;
                }
            }
        }
        return out;
    }

    public static RgbImage flipHorizontal(RgbImage img) {
        int w = img.width();
        byte[] src = img.rgb();
        byte[] out = new byte[src.length];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * 3, out, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(w, img.height(), out);
    }

    /** Mirrors k stacked maps [k, h, w] left-right. */
    public static float[] flipMapsHorizontal(float[] maps, int k, int h, int w) {
        if (maps.length != k * h * w) {
            throw new IllegalArgumentException("maps has " + maps.length + " values for " + k + "x" + h + "x" + w);
        }
        float[] out = new float[maps.length];
        for (int row = 0; row < k * h; row++) {
            for (int x = 0; x < w; x++) {
                out[row * w + w - 1 - x] = maps[row * w + x];
            }
        }
        return out;
    }

    /** Source indices and weights for each output position along one axis. */
    private record Taps(int[] lo, int[] hi, float[] frac) {
    }

    private static Taps taps(int in, int out) {
        int[] lo = new int[out];
        int[] hi = new int[out];
        float[] frac = new float[out];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), in - 1);
            lo[i] = (int) Math.floor(s);
            hi[i] = Math.min(lo[i] + 1, in - 1);
            frac[i] = (float) (s - lo[i]);
        }
        return new Taps(lo, hi, frac);
    }

    private static int clampByte(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void requireSize(int w, int h) {
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("target size must be at least 1x1, got " + w + "x" + h);
        }
    }
}
