package org.wsss.cam;

/**
 * Turns per-class score maps into a label map with a constant background score (irn's evaluation of CAMs:
 * pad the stack with a plane of value {@code bg} and take the argmax).
 */
public final class CamLabels {
    private CamLabels() {
    }

    /**
     * @param maps    (k, h, w) scores of the image's classes
     * @param classes class index (1..C) of each of the k maps
     * @return h*w labels: 0 where no class beats {@code bg} (ties go to background), else the class index
     */
    public static byte[] withConstantBackground(float[] maps, int k, int h, int w, int[] classes, float bg) {
        int n = h * w;
        if (maps.length != k * n || classes.length != k) {
            throw new IllegalArgumentException("maps has " + maps.length + " values for " + k + "x" + h + "x" + w
                    + " with " + classes.length + " classes");
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            float best = bg;
            int label = 0;
            for (int c = 0; c < k; c++) {
                float v = maps[c * n + i];
                if (v > best) {
                    best = v;
                    label = classes[c];
                }
            }
            out[i] = (byte) label;
        }
        return out;
    }
}
