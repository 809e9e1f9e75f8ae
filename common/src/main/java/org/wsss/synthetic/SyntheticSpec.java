package org.wsss.synthetic;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the synthetic scene generator makes: {@code count} square images of {@code size} pixels, drawn from
 * {@code seed} by the {@code preset} generator; about {@code valFraction} of them in the "val" split;
 * 1..{@code maxObjects} objects each.
 */
public record SyntheticSpec(int count, int size, long seed, double valFraction, int maxObjects,
                            SyntheticPreset preset) implements Serializable {

    /** Below this the smallest objects would be all ignore band. */
    public static final int MIN_SIZE = 32;
    public static final int MAX_SIZE = 4096;
    public static final int MAX_OBJECTS = 16;

    /** The default ("shapes") preset. */
    public SyntheticSpec(int count, int size, long seed, double valFraction, int maxObjects) {
        this(count, size, seed, valFraction, maxObjects, SyntheticPreset.SHAPES);
    }

    public SyntheticSpec {
        if (preset == null) {
            throw new IllegalArgumentException("synthetic preset must be one of "
                    + Arrays.toString(SyntheticPreset.values()) + ", got null");
        }
        if (count < 1) {
            throw new IllegalArgumentException("synthetic count must be >= 1, got " + count);
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("synthetic size must be in [" + MIN_SIZE + ", " + MAX_SIZE
                    + "] pixels, got " + size);
        }
        if (!(valFraction >= 0.0 && valFraction <= 1.0)) {
            throw new IllegalArgumentException("synthetic valFraction must be in [0, 1], got " + valFraction);
        }
        if (maxObjects < 1 || maxObjects > MAX_OBJECTS) {
            throw new IllegalArgumentException("synthetic maxObjects must be in [1, " + MAX_OBJECTS + "], got "
                    + maxObjects);
        }
    }
}
