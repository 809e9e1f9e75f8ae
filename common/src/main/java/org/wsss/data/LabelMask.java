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

    public int get(int x, int y) {
        return labels[y * width + x] & 0xff;
    }
}
