package org.wsss.synthetic;

/** HSV to linear 0..1 RGB, hue in degrees (any real value, wrapped). */
final class Hsv {
    private Hsv() {
    }

    static float[] toRgb(double hueDeg, double s, double v) {
        double h = ((hueDeg % 360.0) + 360.0) % 360.0 / 60.0;
        int sector = (int) Math.floor(h) % 6;
        double f = h - Math.floor(h);
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double r;
        double g;
        double b;
        switch (sector) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        return new float[] {(float) r, (float) g, (float) b};
    }
}
