package org.wsss.jobs;

import org.wsss.data.ImageCodec;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;

/** A score map in [0, 1] as a 'jet'-coloured image at image size, for people to look at. */
public final class Heatmaps {
    private Heatmaps() {
    }

    static byte[] png(float[] maps, int k, int gh, int gw, int width, int height) {
        return ImageCodec.encodePng(rgb(maps, k, gh, gw, width, height));
    }

    /** Map {@code k} of {@code maps} (shape k x gh x gw, row-major), upsampled to width x height and coloured. */
    public static RgbImage rgb(float[] maps, int k, int gh, int gw, int width, int height) {
        float[] one = new float[gh * gw];
        System.arraycopy(maps, k * gh * gw, one, 0, gh * gw);
        float[] up = ImageTensors.resizeMaps(one, 1, gh, gw, height, width);
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            float v = Math.max(0f, Math.min(1f, up[i]));
            rgb[i * 3] = (byte) Math.round(255 * clamp(1.5f - Math.abs(4 * v - 3)));
            rgb[i * 3 + 1] = (byte) Math.round(255 * clamp(1.5f - Math.abs(4 * v - 2)));
            rgb[i * 3 + 2] = (byte) Math.round(255 * clamp(1.5f - Math.abs(4 * v - 1)));
        }
        return new RgbImage(width, height, rgb);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
