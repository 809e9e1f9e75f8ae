package org.wsss.synthetic;

import java.util.Arrays;
import java.util.List;

/**
 * Which scene generator {@link SyntheticScenes} runs: {@code shapes}, the demo's six flat-ish shape classes on
 * low-saturation clutter, or {@code hard}, ten look-alike classes in silhouette-sharing pairs on photo-like
 * backgrounds with distractors and Zipf-like class frequencies (see {@link HardClass}).
 */
public enum SyntheticPreset {
    SHAPES("shapes", Arrays.stream(ObjectShape.values()).map(s -> s.label).toList()),
    HARD("hard", Arrays.stream(HardClass.values()).map(c -> c.label).toList());

    /** The value of dataset.synthetic.preset and of export-synthetic --preset. */
    public final String configName;
    private final List<String> classNames;

    SyntheticPreset(String configName, List<String> classNames) {
        this.configName = configName;
        this.classNames = classNames;
    }

    /** Class names in index order: name i is class index i + 1. */
    public List<String> classNames() {
        return classNames;
    }

    public static SyntheticPreset of(String configName) {
        for (SyntheticPreset p : values()) {
            if (p.configName.equals(configName)) {
                return p;
            }
        }
        throw new IllegalArgumentException("dataset.synthetic.preset = " + configName + ": must be one of "
                + Arrays.stream(values()).map(p -> p.configName).toList());
    }
}
