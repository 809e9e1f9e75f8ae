package org.wsss.jobs;

import org.wsss.data.ImageCodec;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;

/** A score map in [0, 1] as a 'jet'-coloured PNG at image size, for people to look at. */
final class Heatmaps {
    private Heatmaps() {
    }

    static byte[] png(float[] maps, int k, int gh, int gw, int width, int height) {
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
        return ImageCodec.encodePng(new RgbImage(width, height, rgb));
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
