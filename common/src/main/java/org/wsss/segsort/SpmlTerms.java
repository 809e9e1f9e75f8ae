package org.wsss.segsort;

import java.util.Locale;

/**
 * SPML's four contrastive terms, each a concentration and a weight, and the cosine a segment needs to its nearest
 * labelled segment for the feature affinity term to label it.
 */
public record SpmlTerms(SpmlLoss.Term annotation, SpmlLoss.Term cooccurrence, SpmlLoss.Term similarity,
                        SpmlLoss.Term affinity, double affinityThreshold) implements java.io.Serializable {

    /** The weakly labelled forms the public code ships settings for. */
    public static final java.util.List<String> FORMS = java.util.List.of("tags", "boxes", "scribbles", "points");

    public SpmlTerms {
        if (!(affinityThreshold >= -1 && affinityThreshold <= 1)) {
            throw new IllegalArgumentException("SPML feature affinity threshold must be a cosine in [-1, 1], got "
                    + affinityThreshold);
        }
    }

    /**
     * The public code's settings for VOC (bashscripts/voc12/train_spml_*.sh) for one label form: feature affinity is
     * off in all four (its concentration here is the one its DensePose points setting uses).
     */
    public static SpmlTerms published(String form) {
        SpmlLoss.Term affinityOff = new SpmlLoss.Term(12, 0);
        return switch (form.toLowerCase(Locale.ROOT)) {
            case "tags", "boxes" -> new SpmlTerms(new SpmlLoss.Term(6, 0.3), new SpmlLoss.Term(8, 0.3),
                    new SpmlLoss.Term(16, 0.1), affinityOff, 0.95);
            case "scribbles" -> new SpmlTerms(new SpmlLoss.Term(6, 1.0), new SpmlLoss.Term(12, 0.5),
                    new SpmlLoss.Term(16, 0.1), affinityOff, 0.95);
            case "points" -> new SpmlTerms(new SpmlLoss.Term(6, 0.1), new SpmlLoss.Term(8, 0.1),
                    new SpmlLoss.Term(16, 0.1), affinityOff, 0.95);
            default -> throw new IllegalArgumentException("SPML has no published settings for the label form '" + form
                    + "'; one of " + FORMS);
        };
    }
}
