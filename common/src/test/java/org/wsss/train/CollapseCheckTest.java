package org.wsss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wsss.metrics.MultiLabelMetrics;

class CollapseCheckTest {

    @Test
    void theReportedCollapseIsFlaggedWithItsNumbers() {
        // issue 12's run: F1 0.167, 0.078, then 0.000 for epochs 3-11, against 10 classes with 1-3 tags each
        List<Double> f1 = List.of(0.167, 0.078, 0.0, 0.0, 0.0, 0.0);
        CollapseCheck.Verdict v = CollapseCheck.check(f1, 0.33, 3);
        assertTrue(v.collapsed());
        assertEquals(6, v.epochsAtOrUnderChance());
        assertEquals(0.167, v.bestF1(), 1e-12);
        assertTrue(v.message().startsWith("classifier.collapse:"), v.message());
        assertTrue(v.message().contains("[0.0000, 0.0000, 0.0000]") && v.message().contains("0.3300"), v.message());
    }

    @Test
    void oneGoodEpochInTheWindowIsNoCollapseAndEarlyGoodEpochsDoNotHideALateCollapse() {
        assertFalse(CollapseCheck.check(List.of(0.1, 0.2, 0.5, 0.3), 0.33, 3).collapsed());
        assertTrue(CollapseCheck.check(List.of(0.6, 0.5, 0.2, 0.1, 0.0), 0.33, 3).collapsed());
        // a run shorter than the window is judged on all its epochs; NaN (nothing predicted, nothing true) is no
        // better than chance
        assertTrue(CollapseCheck.check(List.of(Double.NaN, 0.1), 0.33, 3).collapsed());
        assertFalse(CollapseCheck.check(List.of(0.1, 0.34), 0.33, 3).collapsed());
        // equal to chance is not better than chance
        assertTrue(CollapseCheck.check(List.of(0.33), 0.33, 1).collapsed());
        assertThrows(IllegalArgumentException.class, () -> CollapseCheck.check(List.of(), 0.3, 1));
        assertThrows(IllegalArgumentException.class, () -> CollapseCheck.check(List.of(0.1), 0.3, 0));
    }

    @Test
    void chanceIsTheMicroF1OfAnsweringEveryClass() {
        // 3 images, 4 classes, tags {0}, {1, 2}, {3}: P = 4 of 12 decisions; all-positive gives TP 4, FP 8, FN 0
        // -> F1 = 8 / (8 + 8) = 0.5 ; with 3 active classes (one excluded, its tag not counted) P = 3 of 9:
        // 6 / (6 + 6) = 0.5 again, so also check an uneven case: one image, 5 classes, tag {2}: 2 / (2 + 4) = 1/3
        MultiLabelMetrics m = new MultiLabelMetrics(4);
        m.add(new int[]{0}, new int[]{});
        m.add(new int[]{1, 2}, new int[]{1});
        m.add(new int[]{3}, new int[]{0});
        assertEquals(0.5, m.allPositiveMicroF1(4), 1e-12);
        MultiLabelMetrics one = new MultiLabelMetrics(5);
        one.add(new int[]{2}, new int[]{});
        assertEquals(1.0 / 3, one.allPositiveMicroF1(5), 1e-12);
        assertEquals(2.0 / 5, one.allPositiveMicroF1(4), 1e-12);
        assertTrue(Double.isNaN(new MultiLabelMetrics(2).allPositiveMicroF1(2)));
    }
}
