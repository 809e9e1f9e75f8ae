package org.wsss.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tells whether a classifier's training collapsed: its last {@code window} epochs (every epoch of a shorter run)
 * all score a held-out micro-F1 no better than the trivial "every class" answer. A multi-label classifier with few
 * positives per class can drive its loss down by answering "no class" everywhere; its F1 then sinks to 0 while the
 * run still picks a "best" epoch, so this is reported rather than left to be noticed downstream.
 */
public final class CollapseCheck {

    /**
     * @param f1PerEpoch held-out micro-F1 of each epoch so far, in order (NaN counts as no better than chance)
     * @param chanceF1 micro-F1 of answering every class on the same held-out images
     * @param window how many trailing epochs must all be at or under chance
     */
    public record Verdict(boolean collapsed, double chanceF1, int window, int epochsAtOrUnderChance,
                          double bestF1, String message) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("collapsed", collapsed);
            m.put("chance_micro_f1", chanceF1);
            m.put("window", window);
            m.put("epochs_at_or_under_chance", epochsAtOrUnderChance);
            m.put("best_micro_f1", bestF1);
            m.put("message", message);
            return m;
        }
    }

    private CollapseCheck() {
    }

    public static Verdict check(List<Double> f1PerEpoch, double chanceF1, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (f1PerEpoch.isEmpty()) {
            throw new IllegalArgumentException("no epochs to check");
        }
        int under = 0;
        double best = Double.NaN;
        for (double f : f1PerEpoch) {
            if (!(f > chanceF1)) {
                under++;
            }
            if (!Double.isNaN(f) && !(f <= best)) {
                best = f;
            }
        }
        int tail = Math.min(window, f1PerEpoch.size());
        boolean collapsed = true;
        for (int e = f1PerEpoch.size() - tail; e < f1PerEpoch.size(); e++) {
            if (f1PerEpoch.get(e) > chanceF1) {
                collapsed = false;
            }
        }
        String message = collapsed
                ? String.format(Locale.ROOT, "classifier.collapse: the last %d epoch(s) scored a holdout micro-F1 of "
                        + "%s, no better than %.4f for answering every class (best epoch %.4f); the classifier has "
                        + "not learned to tell the classes apart and every later stage inherits that. Try more "
                        + "epochs, classifier.loss=balanced, a lower classifier.learning-rate or a pretrained "
                        + "backbone (classifier.pretrained).", tail,
                        f1PerEpoch.subList(f1PerEpoch.size() - tail, f1PerEpoch.size()).stream()
                                .map(f -> String.format(Locale.ROOT, "%.4f", f)).toList(), chanceF1, best)
                : String.format(Locale.ROOT, "the classifier beats the every-class answer (%.4f) in at least one of "
                        + "its last %d epoch(s)", chanceF1, tail);
        return new Verdict(collapsed, chanceF1, window, under, best, message);
    }
}
