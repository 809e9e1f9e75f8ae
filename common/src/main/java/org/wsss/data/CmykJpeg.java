package org.wsss.data;

import java.awt.image.Raster;
import java.nio.charset.StandardCharsets;

/**
 * Four-component (CMYK and YCCK) JPEGs. javax.imageio's own conversion of them is wrong (a solid 50% black comes
 * out 187 instead of 127), so their samples are read raw and converted here the way libjpeg-based decoders (PIL,
 * ImageMagick) do without colour management: samples stored inverted (Adobe's convention, which Photoshop, PIL and
 * ImageMagick all write), YCCK first turned back into CMYK with the JFIF YCbCr equations, then
 * R = (255 - C) * (255 - K) / 255 per channel. An embedded ICC profile is ignored, as those decoders do.
 */
final class CmykJpeg {
    /** Adobe APP14 transform flag: 0 = no transform (CMYK), 1 = YCbCr, 2 = YCCK. */
    static final int CMYK = 0;
    static final int YCCK = 2;
    /** Not a four-component JPEG: javax.imageio decodes it. */
    static final int NOT_FOUR_COMPONENTS = -1;

    private CmykJpeg() {
    }

    /**
     * {@link #CMYK} or {@link #YCCK} for a four-component JPEG (its Adobe APP14 transform flag; CMYK when it has no
     * Adobe marker, as libjpeg assumes), {@link #NOT_FOUR_COMPONENTS} otherwise. Walks the marker segments up to
     * the first scan (a few microseconds; ImageIO's metadata tree costs a tenth of a small image's decode).
     */
    static int transformOf(byte[] jpeg, String source) throws QuarantineException {
        int components = -1;
        int transform = -1;
        int at = 2; // after SOI
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xff) {
            int marker = jpeg[at + 1] & 0xff;
            if (marker == 0xff) { // fill byte
                at++;
                continue;
            }
            if (marker == 0xda || marker == 0xd9) { // start of scan, end of image
                break;
            }
            int length = ((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff);
            int data = at + 4;
            if (isStartOfFrame(marker) && data + 5 < jpeg.length) {
                components = jpeg[data + 5] & 0xff; // precision, height (2), width (2), components
            } else if (marker == 0xee && length >= 14 && data + 11 < jpeg.length
                    && new String(jpeg, data, 5, StandardCharsets.US_ASCII).equals("Adobe")) {
                transform = jpeg[data + 11] & 0xff; // "Adobe", version (2), flags0 (2), flags1 (2), transform
            }
            at += 2 + length;
        }
        if (components != 4) {
            return NOT_FOUR_COMPONENTS;
        }
        if (transform == -1 || transform == CMYK) {
            return CMYK;
        }
        if (transform == YCCK) {
            return YCCK;
        }
        throw new QuarantineException("four-component JPEG with Adobe transform " + transform
                + " is neither CMYK (0) nor YCCK (2): " + source);
    }

    /** SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }

    /** The RGB image of a raw four-component raster (bands C, M, Y, K or Y, Cb, Cr, K, all stored inverted). */
    static RgbImage toRgb(Raster raster, int transform) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] px = new int[4 * w];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, px);
            for (int x = 0; x < w; x++) {
                int p = 4 * x;
                int k = px[p + 3];
                int i = (y * w + x) * 3;
                if (transform == YCCK) {
                    // libjpeg's YCCK -> CMYK: C = 255 - R(Y, Cb, Cr), still in the inverted convention.
                    double luma = px[p];
                    double cb = px[p + 1] - 128.0;
                    double cr = px[p + 2] - 128.0;
                    rgb[i] = ink(255 - clamp(luma + 1.402 * cr), k);
                    rgb[i + 1] = ink(255 - clamp(luma - 0.344136 * cb - 0.714136 * cr), k);
                    rgb[i + 2] = ink(255 - clamp(luma + 1.772 * cb), k);
                } else {
                    rgb[i] = ink(px[p], k);
                    rgb[i + 1] = ink(px[p + 1], k);
                    rgb[i + 2] = ink(px[p + 2], k);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** One RGB channel from inverted samples: (255 - C)(255 - K)/255 with C = 255 - c, K = 255 - k. */
    private static byte ink(int invertedColour, int invertedBlack) {
        return (byte) ((invertedColour * invertedBlack + 127) / 255);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
