package org.wsss.synthetic;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;
import org.wsss.data.RgbImage;

/**
 * The built-in synthetic dataset: cluttered scenes of shape objects with exact masks, image-level labels and
 * one point per instance. Every scene is a pure function of (seed, index), so executors can render any subset
 * in any order and get the same bytes.
 */
public final class SyntheticScenes implements Serializable {
    private static final long SCENE_SALT = 0x5CE7E5A17L;
    private static final long SPLIT_SALT = 0x5B117L;
    private static final List<String> CLASS_NAMES =
            Arrays.stream(ObjectShape.values()).map(s -> s.label).toList();

    private final SyntheticSpec spec;

    public SyntheticScenes(SyntheticSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public SyntheticSpec spec() {
        return spec;
    }

    /** Class names in index order: name i is class index i + 1. */
    public static List<String> classNames() {
        return CLASS_NAMES;
    }

    public static String imageId(int index) {
        return String.format("syn_%06d", index);
    }

    /** "val" for about valFraction of the indices, else "train"; decided by (seed, index) alone. */
    public String split(int index) {
        checkIndex(index);
        double u = (mix(spec.seed() ^ SPLIT_SALT, index) >>> 11) * 0x1.0p-53;
        return u < spec.valFraction() ? "val" : "train";
    }

    public Scene render(int index) {
        checkIndex(index);
        int n = spec.size();
        SplittableRandom rng = new SplittableRandom(mix(spec.seed() ^ SCENE_SALT, index));
        Canvas canvas = new Canvas(n);
        BackgroundPainter.paint(canvas, rng);
        ObjectLayer layer = ObjectLayer.place(canvas, 1 + rng.nextInt(spec.maxObjects()), rng);
        double light = rng.nextDouble() * 2 * Math.PI;
        canvas.illuminate(Math.cos(light), Math.sin(light), 0.7 + rng.nextDouble() * 0.2,
                1.0 + rng.nextDouble() * 0.2);
        canvas.blur121();
        canvas.addNoise(rng, 0.015 + rng.nextDouble() * 0.025);
        RgbImage image = canvas.toImage();
        LabelMask mask = SceneAnnotator.mask(layer.owner, layer.classOf, n);
        List<Point> points = SceneAnnotator.points(layer.owner, layer.classOf, mask, rng);
        return new Scene(imageId(index), split(index), image, mask, SceneAnnotator.labels(mask), List.copyOf(points));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= spec.count()) {
            throw new IndexOutOfBoundsException("synthetic scene index " + index + " outside [0, " + spec.count()
                    + ") (synthetic count " + spec.count() + ")");
        }
    }

    /** SplitMix64 finaliser over (seed, index): well-spread, independent streams for neighbouring indices. */
    static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
