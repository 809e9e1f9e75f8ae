package org.wsss.synthetic;

/**
 * Outlines of the hard preset, inside the unit circle (coordinates in units of the object's radius). Each is
 * shared by the two classes of a look-alike pair; disc, square, triangle and star are the shapes preset's own.
 */
enum Silhouette {
    DISC, SQUARE, TRIANGLE, STAR, FRUIT;

    /** A lumpy pebble: three broad lobes and a slight bulge on one side, never reaching a circle's radius. */
    private static final double FRUIT_MEAN = 0.84;
    private static final double FRUIT_LOBES = 0.1;
    private static final double FRUIT_BULGE = 0.06;

    boolean contains(double u, double v) {
        return switch (this) {
            case DISC -> ObjectShape.DISC.contains(u, v);
            case SQUARE -> ObjectShape.SQUARE.contains(u, v);
            case TRIANGLE -> ObjectShape.TRIANGLE.contains(u, v);
            case STAR -> ObjectShape.STAR.contains(u, v);
            case FRUIT -> {
                double rho2 = u * u + v * v;
                double phi = Math.atan2(v, u);
                double r = FRUIT_MEAN + FRUIT_LOBES * Math.cos(3 * phi) + FRUIT_BULGE * Math.sin(phi);
                yield rho2 <= r * r;
            }
        };
    }
}
