package org.wsss.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss.metrics.ConfusionMatrixTest.GT;
import static org.wsss.metrics.ConfusionMatrixTest.PRED;
import static org.wsss.metrics.ConfusionMatrixTest.bytes;

class SegmentationMetricsTest {
    private static final double EPS = 1e-12;

    /*
     * Hand case, labels bg=0, cat=1, dog=2:
     *   gt   = 0 0 0 1 1 1 2 2 255 0
     *   pred = 0 0 1 1 1 2 2 0  1  255
     * Pixel 8 is ignored. Pixel 9 (gt 0, pred 255) is a miss of bg, no false positive.
     * Rows gt, columns pred: bg [2 1 0] (+1 unassigned), cat [0 2 1], dog [1 0 1].
     *   bg : TP 2, FN 1+1 = 2, FP 0+1 = 1 -> IoU 2/5 = 0.4,  recall 2/4 = 0.5
     *   cat: TP 2, FN 1,       FP 1       -> IoU 2/4 = 0.5,  recall 2/3
     *   dog: TP 1, FN 1,       FP 1       -> IoU 1/3,        recall 1/2
     * mIoU = (0.4 + 0.5 + 1/3) / 3 = 37/90; pixel accuracy = (2+2+1)/9 = 5/9;
     * mean accuracy = (1/2 + 2/3 + 1/2) / 3 = 5/9.
     */
    @Test
    void handComputedThreeLabelCase() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(PRED, GT);
        SegmentationMetrics m = SegmentationMetrics.of(cm, List.of("background", "cat", "dog"), 1);
        Map<String, Double> iou = m.perClassIou();
        assertEquals(List.of("background", "cat", "dog"), List.copyOf(iou.keySet()));
        assertEquals(0.4, iou.get("background"), EPS);
        assertEquals(0.5, iou.get("cat"), EPS);
        assertEquals(1.0 / 3, iou.get("dog"), EPS);
        assertEquals(37.0 / 90, m.miou(), EPS);
        assertEquals(5.0 / 9, m.pixelAccuracy(), EPS);
        assertEquals(5.0 / 9, m.meanAccuracy(), EPS);
        assertEquals(2.0 / 3, m.perClassAccuracy().get("cat"), EPS);
        assertEquals(1, m.numImages());
    }

    /*
     * 4 labels; class 3 ("cow") occurs in neither gt nor pred, class 2 ("dog") only in pred.
     *   gt   = 0 0 1 1
     *   pred = 0 2 1 1
     * bg : TP 1, FN 1, FP 0 -> IoU 1/2, recall 1/2
     * cat: TP 2             -> IoU 1,   recall 1
     * dog: TP 0, FP 1       -> IoU 0 (counts in mIoU), recall NaN (no gt pixels: not in mean accuracy)
     * cow: nothing          -> IoU NaN, excluded
     * mIoU = (1/2 + 1 + 0) / 3 = 0.5; mean accuracy = (1/2 + 1) / 2 = 0.75; pixel accuracy = 3/4.
     */
    @Test
    void absentClassIsNanAndExcludedFromMeans() {
        ConfusionMatrix cm = new ConfusionMatrix(4);
        cm.add(bytes(0, 2, 1, 1), bytes(0, 0, 1, 1));
        SegmentationMetrics m = SegmentationMetrics.of(cm, List.of("bg", "cat", "dog", "cow"), 2);
        assertTrue(Double.isNaN(m.perClassIou().get("cow")));
        assertEquals(0.0, m.perClassIou().get("dog"), EPS);
        assertTrue(Double.isNaN(m.perClassAccuracy().get("dog")));
        assertEquals(0.5, m.miou(), EPS);
        assertEquals(0.75, m.meanAccuracy(), EPS);
        assertEquals(0.75, m.pixelAccuracy(), EPS);
    }

    /*
     * gt = 1 1 1 1 0 0, pred = 1 1 255 255 0 0 (two "uncertain" pixels of cat):
     * cat: TP 2, FN 2, FP 0 -> IoU 1/2, recall 1/2; bg: TP 2, FP 0 -> IoU 1 (uncertain pixels are no
     * false positive of bg or any class). Pixel accuracy = 4/6.
     */
    @Test
    void uncertainPredictionLowersRecallButIsNoFalsePositive() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        cm.add(bytes(1, 1, 255, 255, 0, 0), bytes(1, 1, 1, 1, 0, 0));
        SegmentationMetrics m = SegmentationMetrics.of(cm, List.of("bg", "cat"), 1);
        assertEquals(0.5, m.perClassIou().get("cat"), EPS);
        assertEquals(1.0, m.perClassIou().get("bg"), EPS);
        assertEquals(0.5, m.perClassAccuracy().get("cat"), EPS);
        assertEquals(4.0 / 6, m.pixelAccuracy(), EPS);
        assertEquals(0.75, m.miou(), EPS);
    }

    @Test
    void emptyMatrixGivesNan() {
        SegmentationMetrics m = SegmentationMetrics.of(new ConfusionMatrix(2), List.of("bg", "cat"), 0);
        assertTrue(Double.isNaN(m.miou()));
        assertTrue(Double.isNaN(m.pixelAccuracy()));
        assertTrue(Double.isNaN(m.meanAccuracy()));
    }

    @Test
    void rejectsMismatchedOrDuplicateNames() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentationMetrics.of(cm, List.of("bg", "cat"), 1));
        assertTrue(e.getMessage().contains("2 names") && e.getMessage().contains("3 labels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.of(cm, List.of("bg", "cat", "cat"), 1));
    }
}
