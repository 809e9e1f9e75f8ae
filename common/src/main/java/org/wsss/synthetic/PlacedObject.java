package org.wsss.synthetic;

import java.util.SplittableRandom;

/** An object instance {@link ObjectLayer} can place: an outline over pixel centres and a surface colour. */
interface PlacedObject {
    /** Class index 1..C. */
    int classIndex();

    /** Centre in pixels, where the colour under the object is sampled for {@link #contrastWith}. */
    double centreX();

    double centreY();

    int minX();

    int maxX(int size);

    int minY();

    int maxY(int size);

    /** Whether the centre of pixel (x, y) is inside the outline. */
    boolean covers(int x, int y);

    /** Colour of the object's surface at pixel (x, y). */
    float[] colourAt(int x, int y);

    /** Re-draws the colour while it is too close to what lies under the object's centre, so it stays visible. */
    void contrastWith(float[] under, SplittableRandom rng);

    /** A fresh candidate for slot {@code slot} (0-based), drawn from rng; asked again after a rejected try. */
    @FunctionalInterface
    interface Source {
        PlacedObject draw(int slot, SplittableRandom rng);
    }
}
