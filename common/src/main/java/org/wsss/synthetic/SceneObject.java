package org.wsss.synthetic;

import java.util.SplittableRandom;

/** One placed object instance: class shape, pose, colour and texture parameters. */
final class SceneObject implements PlacedObject {
    /** Smallest and largest object diameter as a fraction of the image side. */
    static final double MIN_DIAMETER = 0.15;
    static final double MAX_DIAMETER = 0.50;
    /** Radius floor in pixels, so small images still get objects with an unignored interior. */
    static final double MIN_RADIUS_PX = 5.0;
    /**
     * Hue jitter below half the 60-degree class spacing: each class keeps a colour of its own (a cue a small
     * CNN learns in minutes), while the background carries every hue, so colour alone does not segment.
     */
    static final double HUE_JITTER = 20;

    final ObjectShape shape;
    final double cx;
    final double cy;
    final double radius;
    private final double cos;
    private final double sin;
    private float[] colour;
    private final double textureAmp;
    private final double texturePeriod;
    private final double texturePhase;
    private final long salt;

    private SceneObject(ObjectShape shape, double cx, double cy, double radius, double angle, float[] colour,
                        double textureAmp, double texturePeriod, double texturePhase, long salt) {
        this.shape = shape;
        this.cx = cx;
        this.cy = cy;
        this.radius = radius;
        this.cos = Math.cos(angle);
        this.sin = Math.sin(angle);
        this.colour = colour;
        this.textureAmp = textureAmp;
        this.texturePeriod = texturePeriod;
        this.texturePhase = texturePhase;
        this.salt = salt;
    }

    /** A random instance wholly inside a size x size image. */
    static SceneObject random(SplittableRandom rng, int size) {
        ObjectShape shape = ObjectShape.values()[rng.nextInt(ObjectShape.values().length)];
        double rMin = Math.max(MIN_DIAMETER * size / 2, MIN_RADIUS_PX);
        double rMax = Math.max(MAX_DIAMETER * size / 2, rMin);
        double r = rMin + rng.nextDouble() * (rMax - rMin);
        double cx = r + rng.nextDouble() * (size - 2 * r);
        double cy = r + rng.nextDouble() * (size - 2 * r);
        return new SceneObject(shape, cx, cy, r, rng.nextDouble() * 2 * Math.PI, randomColour(rng, shape),
                0.06 + rng.nextDouble() * 0.14, 3.5 + rng.nextDouble() * 3.5, rng.nextDouble() * 2 * Math.PI,
                rng.nextLong());
    }

    @Override
    public int classIndex() {
        return shape.ordinal() + 1;
    }

    @Override
    public double centreX() {
        return cx;
    }

    @Override
    public double centreY() {
        return cy;
    }

    static float[] randomColour(SplittableRandom rng, ObjectShape shape) {
        double hue = shape.hue + (rng.nextDouble() * 2 - 1) * HUE_JITTER;
        return Hsv.toRgb(hue, 0.55 + rng.nextDouble() * 0.4, 0.45 + rng.nextDouble() * 0.5);
    }

    @Override
    public void contrastWith(float[] under, SplittableRandom rng) {
        for (int attempt = 0; attempt < 8 && distance(colour, under) < 0.25; attempt++) {
            colour = randomColour(rng, shape);
        }
    }

    private static double distance(float[] a, float[] b) {
        double dr = a[0] - b[0];
        double dg = a[1] - b[1];
        double db = a[2] - b[2];
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    @Override
    public int minX() {
        return Math.max(0, (int) Math.floor(cx - radius));
    }

    @Override
    public int maxX(int size) {
        return Math.min(size - 1, (int) Math.ceil(cx + radius));
    }

    @Override
    public int minY() {
        return Math.max(0, (int) Math.floor(cy - radius));
    }

    @Override
    public int maxY(int size) {
        return Math.min(size - 1, (int) Math.ceil(cy + radius));
    }

    @Override
    public boolean covers(int x, int y) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double a = dx * cos + dy * sin;
        double b = -dx * sin + dy * cos;
        return shape.contains(a / radius, b / radius);
    }

    @Override
    public float[] colourAt(int x, int y) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double a = dx * cos + dy * sin;
        double b = -dx * sin + dy * cos;
        float t = (float) (textureAmp
                * shape.texture.value(a, b, radius, texturePeriod, texturePhase, salt, x, y));
        return new float[] {colour[0] + t, colour[1] + t, colour[2] + t};
    }
}
