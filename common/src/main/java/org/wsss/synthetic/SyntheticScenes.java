package org.wsss.synthetic;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;
import org.wsss.data.RgbImage;

/**
 * The built-in synthetic dataset: cluttered scenes of shape objects with exact masks, image-level labels and
 * one point per instance, drawn by the spec's {@link SyntheticPreset}. Every scene is a pure function of
 * (seed, index), so executors can render any subset in any order and get the same bytes.
 */
public final class SyntheticScenes implements Serializable {
    private static final long SCENE_SALT = 0x5CE7E5A17L;
    private static final long SPLIT_SALT = 0x5B117L;
    /** The hard preset draws from its own stream, so its scenes share nothing with the shapes preset's. */
    private static final long HARD_SALT = 0x4A2D5CE7EL;

    private final SyntheticSpec spec;

    public SyntheticScenes(SyntheticSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    public SyntheticSpec spec() {
        return spec;
    }

    /** Class names of this spec's preset in index order: name i is class index i + 1. */
    public List<String> classNames() {
        return spec.preset().classNames();
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
        if (spec.preset() == SyntheticPreset.HARD) {
            SplittableRandom rng = new SplittableRandom(mix(spec.seed() ^ HARD_SALT, index));
            Canvas canvas = new Canvas(n);
            ObjectLayer layer = HardScenes.draw(canvas, spec.maxObjects(), rng);
            return annotate(index, canvas, layer, rng);
        }
        SplittableRandom rng = new SplittableRandom(mix(spec.seed() ^ SCENE_SALT, index));
        Canvas canvas = new Canvas(n);
        BackgroundPainter.paint(canvas, rng);
        ObjectLayer layer = ObjectLayer.place(canvas, 1 + rng.nextInt(spec.maxObjects()), rng);
        double light = rng.nextDouble() * 2 * Math.PI;
        canvas.illuminate(Math.cos(light), Math.sin(light), 0.7 + rng.nextDouble() * 0.2,
                1.0 + rng.nextDouble() * 0.2);
        canvas.blur121();
        canvas.addNoise(rng, 0.015 + rng.nextDouble() * 0.025);
        return annotate(index, canvas, layer, rng);
    }

    /**
     * A hard-preset scene with one object of class {@code classIndex} (1..C) at a given pose (centre, radius in
     * pixels, angle in radians); background and surface drawn from {@code seed}. For checking that the two
     * classes of a look-alike pair cover the same pixels at the same pose.
     */
    Scene renderPosed(int classIndex, double cx, double cy, double radius, double angle, long seed) {
        if (spec.preset() != SyntheticPreset.HARD || classIndex < 1 || classIndex > HardClass.values().length) {
            throw new IllegalArgumentException("posed scenes exist for hard-preset classes 1.."
                    + HardClass.values().length + ", got class " + classIndex + " of preset " + spec.preset());
        }
        Canvas canvas = new Canvas(spec.size());
        ObjectLayer layer = HardScenes.drawPosed(canvas, HardClass.values()[classIndex - 1],
                new HardObject.Pose(cx, cy, radius, angle), seed);
        return annotate(0, canvas, layer, new SplittableRandom(seed));
    }

    private Scene annotate(int index, Canvas canvas, ObjectLayer layer, SplittableRandom rng) {
        RgbImage image = canvas.toImage();
        LabelMask mask = SceneAnnotator.mask(layer.owner, layer.classOf, spec.size());
        List<Point> points = SceneAnnotator.points(layer.owner, layer.classOf, mask, rng);
        return new Scene(imageId(index), split(index), image, mask, SceneAnnotator.labels(mask), List.copyOf(points),
                SceneAnnotator.boxes(layer.owner, layer.classOf, mask),
                SceneAnnotator.scribbles(layer.owner, layer.classOf, mask), SceneAnnotator.instances(layer.owner, mask));
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
