package org.wsss.data;

import java.io.Serializable;

/**
 * A per-pixel label map: row-major, one unsigned byte per pixel; 0 background, 1..C classes, 255 ignore.
 */
public record LabelMask(int width, int height, byte[] labels) implements Serializable {
    public static final int IGNORE = 255;

    public LabelMask {
        if (labels.length != width * height) {
            throw new IllegalArgumentException("labels has " + labels.length + " bytes for " + width + "x" + height);
        }
    }

    /** Nearest-neighbour resampling of a row-major label map (labels must not be interpolated). */
    public static byte[] resizeNearest(byte[] labels, int h, int w, int newH, int newW) {
        byte[] out = new byte[newH * newW];
        for (int y = 0; y < newH; y++) {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / newH));
            for (int x = 0; x < newW; x++) {
                int sx = Math.min(w - 1, (int) ((x + 0.5) * w / newW));
                out[y * newW + x] = labels[sy * w + sx];
            }
        }
        return out;
    }

    /** The mirror image of a row-major label map (h rows of w labels) about its vertical axis. */
    public static byte[] flipHorizontal(byte[] labels, int h, int w) {
        byte[] out = new byte[labels.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = labels[y * w + (w - 1 - x)];
            }
        }
        return out;
    }

    public int get(int x, int y) {
        return labels[y * width + x] & 0xff;
    }
}
