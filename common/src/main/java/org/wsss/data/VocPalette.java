package org.wsss.data;

import java.awt.image.IndexColorModel;
import java.util.HashMap;
import java.util.Map;

/**
 * The PASCAL VOC colour map: the colour of index i spreads the bits of i over the high bits of r, g and b
 * (bit 0 to r, bit 1 to g, bit 2 to b, then the next three bits one position lower), so 1 = (128,0,0) and
 * 255 (ignore) = (224,224,192). SegmentationClass PNGs and the masks this project writes use it.
 */
public final class VocPalette {

    private static final int[] RGB = new int[256];
    private static final Map<Integer, Integer> INDEX_OF_RGB = new HashMap<>();

    static {
        for (int i = 0; i < 256; i++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = i;
            for (int j = 0; j < 8; j++) {
                r |= (c & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            RGB[i] = (r << 16) | (g << 8) | b;
            INDEX_OF_RGB.put(RGB[i], i);
        }
    }

    private VocPalette() {
    }

    /** Colour of an index 0..255 as 0xRRGGBB. */
    public static int rgb(int index) {
        if (index < 0 || index > 255) {
            throw new IllegalArgumentException("palette index " + index + " is outside 0..255");
        }
        return RGB[index];
    }

    /** Index whose colour is {@code rgb} (0xRRGGBB), or -1 when no index has that colour. */
    public static int indexOf(int rgb) {
        return INDEX_OF_RGB.getOrDefault(rgb & 0xffffff, -1);
    }

    static IndexColorModel colorModel() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (RGB[i] >> 16);
            g[i] = (byte) (RGB[i] >> 8);
            b[i] = (byte) RGB[i];
        }
        return new IndexColorModel(8, 256, r, g, b);
    }
}
