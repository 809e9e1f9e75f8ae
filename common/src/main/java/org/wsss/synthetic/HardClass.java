package org.wsss.synthetic;

import java.util.SplittableRandom;

/**
 * The hard preset's classes, in class-index order (index = ordinal + 1): five look-alike pairs that share a
 * silhouette and differ only by surface pattern (disc, square, triangle), by an overlapping hue range (fruit)
 * or by colour distribution (star: one colour or two). Frequencies follow a Zipf law over
 * {@link #frequencyRank}: each pair has a common and a rarer member, the most frequent class about 5x the rarest.
 */
enum HardClass {
    DISC_STRIPED("disc_striped", Silhouette.DISC, Pattern.STRIPES, Palette.ANY, 1),
    DISC_SPOTTED("disc_spotted", Silhouette.DISC, Pattern.SPOTS, Palette.ANY, 6),
    SQUARE_CHECKER("square_checker", Silhouette.SQUARE, Pattern.CHECKER, Palette.ANY, 2),
    SQUARE_NOISY("square_noisy", Silhouette.SQUARE, Pattern.NOISE, Palette.ANY, 7),
    APPLE("apple", Silhouette.FRUIT, Pattern.GLOSS, Palette.RED, 3),
    ORANGE("orange", Silhouette.FRUIT, Pattern.GLOSS, Palette.ORANGE, 8),
    TRIANGLE_RINGS("triangle_rings", Silhouette.TRIANGLE, Pattern.RINGS, Palette.ANY, 4),
    TRIANGLE_HATCH("triangle_hatch", Silhouette.TRIANGLE, Pattern.HATCH, Palette.ANY, 9),
    STAR_PLAIN("star_plain", Silhouette.STAR, Pattern.PLAIN, Palette.ANY, 5),
    STAR_TWOTONE("star_twotone", Silhouette.STAR, Pattern.SPLIT, Palette.ANY, 10);

    /** Weight of rank k is k^-0.7: rank 1 over rank 10 is 10^0.7 = 5.0. */
    static final double ZIPF_EXPONENT = 0.7;
    private static final double[] CUMULATIVE = cumulativeWeights();

    final String label;
    final Silhouette silhouette;
    final Pattern pattern;
    final Palette palette;
    final int frequencyRank;

    HardClass(String label, Silhouette silhouette, Pattern pattern, Palette palette, int frequencyRank) {
        this.label = label;
        this.silhouette = silhouette;
        this.pattern = pattern;
        this.palette = palette;
        this.frequencyRank = frequencyRank;
    }

    double weight() {
        return Math.pow(frequencyRank, -ZIPF_EXPONENT);
    }

    /** A class drawn with probability proportional to its weight. */
    static HardClass draw(SplittableRandom rng) {
        double u = rng.nextDouble() * CUMULATIVE[CUMULATIVE.length - 1];
        for (int i = 0; i < CUMULATIVE.length - 1; i++) {
            if (u < CUMULATIVE[i]) {
                return values()[i];
            }
        }
        return values()[CUMULATIVE.length - 1];
    }

    private static double[] cumulativeWeights() {
        HardClass[] all = values();
        double[] c = new double[all.length];
        double sum = 0;
        for (int i = 0; i < all.length; i++) {
            sum += all[i].weight();
            c[i] = sum;
        }
        return c;
    }

    /** Per-instance base colour laws, as (hue range in degrees, saturation range, value range). */
    enum Palette {
        ANY(0, 360, 0.35, 0.95),
        // apples and oranges overlap on 12..30 degrees: hue tells most of them apart, not all
        RED(-25, 30, 0.55, 0.95),
        ORANGE(12, 55, 0.55, 0.95);

        final double hueFrom;
        final double hueTo;
        final double satFrom;
        final double satTo;

        Palette(double hueFrom, double hueTo, double satFrom, double satTo) {
            this.hueFrom = hueFrom;
            this.hueTo = hueTo;
            this.satFrom = satFrom;
            this.satTo = satTo;
        }

        /** {hue, saturation, value} drawn from this law. */
        double[] draw(SplittableRandom rng) {
            return new double[] {hueFrom + rng.nextDouble() * (hueTo - hueFrom),
                satFrom + rng.nextDouble() * (satTo - satFrom), 0.4 + rng.nextDouble() * 0.55};
        }
    }
}
