package org.wsss.synthetic;

/**
 * The object classes, in class-index order (index = ordinal + 1). Each is an outline inside the unit circle,
 * a surface texture and a hue centre; hues are 60 degrees apart and jittered by less than 30 degrees per
 * instance, so neighbouring classes share colours.
 */
enum ObjectShape {
    DISC("disc", Texture.SHADE, 0),
    SQUARE("square", Texture.STRIPES, 60),
    TRIANGLE("triangle", Texture.DOTS, 120),
    RING("ring", Texture.SPECKLE, 180),
    CROSS("cross", Texture.CHECKER, 240),
    STAR("star", Texture.WAVES, 300);

    private static final double RING_INNER = 0.5;
    private static final double SQUARE_HALF = 0.7;
    private static final double CROSS_HALF_WIDTH = 0.3;
    private static final double CROSS_HALF_LENGTH = 0.95;
    private static final double STAR_INNER = 0.45;
    private static final double STAR_SECTOR = 2 * Math.PI / 5;
    // the star edge from the tip (1, 0) to the inner vertex at half a sector
    private static final double STAR_BX = STAR_INNER * Math.cos(STAR_SECTOR / 2);
    private static final double STAR_BY = STAR_INNER * Math.sin(STAR_SECTOR / 2);
    private static final double SIN30 = 0.5;
    private static final double COS30 = Math.sqrt(3) / 2;

    final String label;
    final Texture texture;
    final double hue;

    ObjectShape(String label, Texture texture, double hue) {
        this.label = label;
        this.texture = texture;
        this.hue = hue;
    }

    /** Whether the point (u, v), in units of the object's radius around its centre, is inside the outline. */
    boolean contains(double u, double v) {
        double rho2 = u * u + v * v;
        if (rho2 > 1.0) {
            return false;
        }
        return switch (this) {
            case DISC -> true;
            case RING -> rho2 >= RING_INNER * RING_INNER;
            case SQUARE -> Math.abs(u) <= SQUARE_HALF && Math.abs(v) <= SQUARE_HALF;
            case CROSS -> (Math.abs(u) <= CROSS_HALF_WIDTH && Math.abs(v) <= CROSS_HALF_LENGTH)
                    || (Math.abs(v) <= CROSS_HALF_WIDTH && Math.abs(u) <= CROSS_HALF_LENGTH);
            // equilateral, circumradius 1, apex up: inside the three edges at inradius 1/2
            case TRIANGLE -> v >= -0.5 && (COS30 * u - SIN30 * v) >= -0.5 && (-COS30 * u - SIN30 * v) >= -0.5;
            case STAR -> insideStar(u, v);
        };
    }

    private static boolean insideStar(double u, double v) {
        double rho = Math.sqrt(u * u + v * v);
        double phi = Math.atan2(v, u);
        phi = phi - STAR_SECTOR * Math.floor(phi / STAR_SECTOR);
        phi = Math.abs(phi - STAR_SECTOR / 2);
        phi = STAR_SECTOR / 2 - phi;
        double px = rho * Math.cos(phi);
        double py = rho * Math.sin(phi);
        // same side of the tip-to-inner-vertex edge as the centre
        return (STAR_BX - 1) * py - STAR_BY * (px - 1) >= 0;
    }
}
