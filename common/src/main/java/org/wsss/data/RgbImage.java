package org.wsss.data;

import java.io.Serializable;

/** A decoded 8-bit RGB image: {@code rgb} is row-major, 3 bytes per pixel (r, g, b), length width*height*3. */
public record RgbImage(int width, int height, byte[] rgb) implements Serializable {
    public RgbImage {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes for " + width + "x" + height);
        }
    }

    public int r(int x, int y) {
        return rgb[(y * width + x) * 3] & 0xff;
    }

    public int g(int x, int y) {
        return rgb[(y * width + x) * 3 + 1] & 0xff;
    }

    public int b(int x, int y) {
        return rgb[(y * width + x) * 3 + 2] & 0xff;
    }
}
