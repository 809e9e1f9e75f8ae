package org.wsss.synthetic;

import java.util.SplittableRandom;

/** One instance of a {@link HardClass}: pose, two surface colours, pattern parameters and a shading direction. */
final class HardObject implements PlacedObject {
    /** Smallest and largest diameter as a fraction of the image side. */
    static final double MIN_DIAMETER = 0.22;
    static final double MAX_DIAMETER = 0.50;
    static final double MIN_RADIUS_PX = 6.0;
    /** Pattern cells under 4 pixels blur into a flat colour once the image is blurred or downscaled. */
    static final double MIN_PERIOD_PX = 4.0;
    /** Brightness change across the object from its lit to its shaded side (a round, photographed look). */
    private static final double SHADING = 0.15;

    /** Centre and radius in pixels, rotation in radians. */
    record Pose(double cx, double cy, double radius, double angle) {
    }

    final HardClass cls;
    private final Pose pose;
    private final double cos;
    private final double sin;
    private final double period;
    private final double phase;
    private final long salt;
    private final double lightX;
    private final double lightY;
    private float[] base;
    private float[] second;

    private HardObject(HardClass cls, Pose pose, SplittableRandom rng) {
        this.cls = cls;
        this.pose = pose;
        this.cos = Math.cos(pose.angle());
        this.sin = Math.sin(pose.angle());
        this.period = Math.max(MIN_PERIOD_PX, pose.radius() * (0.3 + rng.nextDouble() * 0.2));
        this.phase = rng.nextDouble() * 2 * Math.PI;
        this.salt = rng.nextLong();
        double light = rng.nextDouble() * 2 * Math.PI;
        this.lightX = Math.cos(light);
        this.lightY = Math.sin(light);
        drawColours(rng);
    }

    /** A random instance of {@code cls} wholly inside a size x size image. */
    static HardObject random(HardClass cls, SplittableRandom rng, int size) {
        double rMin = Math.max(MIN_DIAMETER * size / 2, MIN_RADIUS_PX);
        double rMax = Math.max(MAX_DIAMETER * size / 2, rMin);
        double r = rMin + rng.nextDouble() * (rMax - rMin);
        double cx = r + rng.nextDouble() * (size - 2 * r);
        double cy = r + rng.nextDouble() * (size - 2 * r);
        return new HardObject(cls, new Pose(cx, cy, r, rng.nextDouble() * 2 * Math.PI), rng);
    }

    /** An instance of {@code cls} at a given pose; only its surface is drawn from rng. */
    static HardObject at(HardClass cls, Pose pose, SplittableRandom rng) {
        return new HardObject(cls, pose, rng);
    }

    private void drawColours(SplittableRandom rng) {
        double[] hsv = cls.palette.draw(rng);
        base = Hsv.toRgb(hsv[0], hsv[1], hsv[2]);
        second = cls.pattern.second(base, hsv[0], hsv[1], hsv[2], rng);
    }

    @Override
    public int classIndex() {
        return cls.ordinal() + 1;
    }

    @Override
    public double centreX() {
        return pose.cx();
    }

    @Override
    public double centreY() {
        return pose.cy();
    }

    @Override
    public int minX() {
        return Math.max(0, (int) Math.floor(pose.cx() - pose.radius()));
    }

    @Override
    public int maxX(int size) {
        return Math.min(size - 1, (int) Math.ceil(pose.cx() + pose.radius()));
    }

    @Override
    public int minY() {
        return Math.max(0, (int) Math.floor(pose.cy() - pose.radius()));
    }

    @Override
    public int maxY(int size) {
        return Math.min(size - 1, (int) Math.ceil(pose.cy() + pose.radius()));
    }

    @Override
    public boolean covers(int x, int y) {
        double dx = x + 0.5 - pose.cx();
        double dy = y + 0.5 - pose.cy();
        double a = dx * cos + dy * sin;
        double b = -dx * sin + dy * cos;
        return cls.silhouette.contains(a / pose.radius(), b / pose.radius());
    }

    @Override
    public float[] colourAt(int x, int y) {
        double dx = x + 0.5 - pose.cx();
        double dy = y + 0.5 - pose.cy();
        double a = dx * cos + dy * sin;
        double b = -dx * sin + dy * cos;
        float[] c = Pattern.mix(base, second, cls.pattern.weight(a, b, pose.radius(), period, phase, salt));
        float gain = (float) (1 + SHADING * (dx * lightX + dy * lightY) / pose.radius());
        return new float[] {c[0] * gain, c[1] * gain, c[2] * gain};
    }

    @Override
    public void contrastWith(float[] under, SplittableRandom rng) {
        for (int attempt = 0; attempt < 8 && distance(base, under) < 0.25; attempt++) {
            drawColours(rng);
        }
    }

    private static double distance(float[] a, float[] b) {
        double dr = a[0] - b[0];
        double dg = a[1] - b[1];
        double db = a[2] - b[2];
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }
}
