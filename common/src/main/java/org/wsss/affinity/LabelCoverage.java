package org.wsss.affinity;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How many of the images' tagged classes kept at least one confident cell in their affinity labels. A tag with
 * no confident cell gives AffinityNet no pair inside that object, so the walk has nothing to spread: when most
 * tags vanish (weak CAMs whose peaks the CRF smooths away), the pseudo-labels come out as background and score
 * below the CAMs they were made from. This is counted from the training tags alone, no ground truth.
 */
public record LabelCoverage(long taggedClasses, long taggedClassesWithoutCells) implements Serializable {

    public static final LabelCoverage NONE = new LabelCoverage(0, 0);

    public LabelCoverage {
        if (taggedClasses < 0 || taggedClassesWithoutCells < 0 || taggedClassesWithoutCells > taggedClasses) {
            throw new IllegalArgumentException("bad coverage counts: " + taggedClassesWithoutCells + " of "
                    + taggedClasses);
        }
    }

    /** One image: its label cells (0 background, 1..C class, 255 ignored) and its tagged class indices. */
    public static LabelCoverage of(byte[] labels, int[] classIndices) {
        boolean[] seen = new boolean[256];
        for (byte b : labels) {
            seen[b & 0xff] = true;
        }
        long without = 0;
        for (int c : classIndices) {
            if (c < 1 || c >= AffinityLabels.IGNORE) {
                throw new IllegalArgumentException("class index " + c + " outside 1..254");
            }
            if (!seen[c]) {
                without++;
            }
        }
        return new LabelCoverage(classIndices.length, without);
    }

    public LabelCoverage plus(LabelCoverage o) {
        return new LabelCoverage(taggedClasses + o.taggedClasses, taggedClassesWithoutCells + o.taggedClassesWithoutCells);
    }

    /** Fraction of tags with no confident cell; 0 when there are no tags. */
    public double missingFraction() {
        return taggedClasses == 0 ? 0.0 : (double) taggedClassesWithoutCells / taggedClasses;
    }

    /** True when more than {@code maxMissingFraction} of the tags have no confident cell. */
    public boolean collapsed(double maxMissingFraction) {
        return missingFraction() > maxMissingFraction;
    }

    public String message(double maxMissingFraction) {
        return collapsed(maxMissingFraction)
                ? String.format(Locale.ROOT, "affinity.labels-collapse: %d of %d tagged classes (%.1f%%, over the "
                        + "%.1f%% allowed by affinity.max-missing-class-fraction) have no confident cell in their "
                        + "image's affinity labels, so AffinityNet sees no pair inside those objects and the walk "
                        + "will return background for them. The CAMs are too weak or too peaked for the mining: "
                        + "check eval-cams, lower affinity.fg-threshold, try affinity.crf=false or "
                        + "affinity.label-mode=psa, or improve stage 1 (classifier.pretrained).",
                taggedClassesWithoutCells, taggedClasses, 100 * missingFraction(), 100 * maxMissingFraction)
                : String.format(Locale.ROOT, "%d of %d tagged classes have confident cells", taggedClasses
                        - taggedClassesWithoutCells, taggedClasses);
    }

    public Map<String, Object> toMap(double maxMissingFraction) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("collapsed", collapsed(maxMissingFraction));
        m.put("tagged_classes", taggedClasses);
        m.put("tagged_classes_without_cells", taggedClassesWithoutCells);
        m.put("missing_class_fraction", missingFraction());
        m.put("max_missing_class_fraction", maxMissingFraction);
        m.put("message", message(maxMissingFraction));
        return m;
    }
}
