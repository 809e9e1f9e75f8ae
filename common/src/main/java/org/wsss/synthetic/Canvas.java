package org.wsss.synthetic;

import java.util.SplittableRandom;
import org.wsss.data.RgbImage;

/** A square float RGB drawing surface (0..1 per channel) that is quantised to an {@link RgbImage} at the end. */
final class Canvas {
    final int size;
    private final float[] px;

    Canvas(int size) {
        this.size = size;
        this.px = new float[size * size * 3];
    }

    void set(int x, int y, float r, float g, float b) {
        int i = (y * size + x) * 3;
        px[i] = r;
        px[i + 1] = g;
        px[i + 2] = b;
    }

    void blend(int x, int y, float[] c, double alpha) {
        int i = (y * size + x) * 3;
        float a = (float) alpha;
        px[i] += a * (c[0] - px[i]);
        px[i + 1] += a * (c[1] - px[i + 1]);
        px[i + 2] += a * (c[2] - px[i + 2]);
    }

    float[] get(int x, int y) {
        int i = (y * size + x) * 3;
        return new float[] {px[i], px[i + 1], px[i + 2]};
    }

    /** Uneven lighting across the whole picture, objects included, so brightness is no class cue. */
    void illuminate(double dirX, double dirY, double low, double high) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double t = ((x - size / 2.0) * dirX + (y - size / 2.0) * dirY) / size + 0.5;
                float gain = (float) (low + (high - low) * Math.max(0, Math.min(1, t)));
                int i = (y * size + x) * 3;
                px[i] *= gain;
                px[i + 1] *= gain;
                px[i + 2] *= gain;
            }
        }
    }

    /** Separable [1 2 1]/4 blur: softens hard edges the way a camera would (the ignore band covers them). */
    void blur121() {
        float[] tmp = new float[px.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int l = Math.max(0, x - 1);
                int r = Math.min(size - 1, x + 1);
                for (int c = 0; c < 3; c++) {
                    tmp[(y * size + x) * 3 + c] = 0.25f * px[(y * size + l) * 3 + c]
                            + 0.5f * px[(y * size + x) * 3 + c] + 0.25f * px[(y * size + r) * 3 + c];
                }
            }
        }
        for (int y = 0; y < size; y++) {
            int u = Math.max(0, y - 1);
            int d = Math.min(size - 1, y + 1);
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * size + x) * 3 + c] = 0.25f * tmp[(u * size + x) * 3 + c]
                            + 0.5f * tmp[(y * size + x) * 3 + c] + 0.25f * tmp[(d * size + x) * 3 + c];
                }
            }
        }
    }

    void addNoise(SplittableRandom rng, double sigma) {
        for (int i = 0; i < px.length; i++) {
            px[i] += (float) (sigma * gaussian(rng));
        }
    }

    RgbImage toImage() {
        byte[] out = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(px[i] * 255f)));
        }
        return new RgbImage(size, size, out);
    }

    /** Cheap approximately normal deviate (sum of uniforms) so noise costs little per pixel. */
    static double gaussian(SplittableRandom rng) {
        return (rng.nextDouble() + rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 2.0) * 1.7320508;
    }
}
