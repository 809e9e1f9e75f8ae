package org.wsss.synthetic;

import java.util.SplittableRandom;

/**
 * Draws one scene of the hard preset onto a canvas: photo-like background, 1..maxObjects objects whose classes
 * are drawn by their Zipf weights (a class is kept while only its pose is retried), stronger uneven light,
 * camera blur and sensor noise.
 */
final class HardScenes {
    private HardScenes() {
    }

    static ObjectLayer draw(Canvas canvas, int maxObjects, SplittableRandom rng) {
        HardBackground.paint(canvas, rng);
        int target = 1 + rng.nextInt(maxObjects);
        HardClass[] classes = new HardClass[target];
        for (int k = 0; k < target; k++) {
            classes[k] = HardClass.draw(rng);
        }
        ObjectLayer layer = ObjectLayer.place(canvas, target, rng,
                (slot, r) -> HardObject.random(classes[slot], r, canvas.size));
        finish(canvas, rng);
        return layer;
    }

    /** One object of {@code cls} at {@code pose}; the background and the surface come from {@code seed}. */
    static ObjectLayer drawPosed(Canvas canvas, HardClass cls, HardObject.Pose pose, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        HardBackground.paint(canvas, rng);
        ObjectLayer layer = ObjectLayer.place(canvas, 1, rng, (slot, r) -> HardObject.at(cls, pose, r));
        finish(canvas, rng);
        return layer;
    }

    private static void finish(Canvas canvas, SplittableRandom rng) {
        double light = rng.nextDouble() * 2 * Math.PI;
        canvas.illuminate(Math.cos(light), Math.sin(light), 0.6 + rng.nextDouble() * 0.25,
                1.0 + rng.nextDouble() * 0.25);
        canvas.blur121();
        canvas.addNoise(rng, 0.02 + rng.nextDouble() * 0.03);
    }
}
