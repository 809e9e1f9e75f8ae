package org.wsss.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusionMatrixTest {

    /** gt/pred pairs of the hand case in {@link SegmentationMetricsTest}; see the arithmetic there. */
    static final byte[] GT = bytes(0, 0, 0, 1, 1, 1, 2, 2, 255, 0);
    static final byte[] PRED = bytes(0, 0, 1, 1, 1, 2, 2, 0, 1, 255);

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void anImageWithoutPredictionCountsAsMissedPixelsInIouAndAccuracy() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(bytes(0, 1, 1, 1), bytes(0, 0, 1, 1));   // image A, predicted
        cm.addUnpredicted(bytes(0, 2, 2, 255));          // image B, no prediction; its 255 pixel is ignored
        SegmentationMetrics m = SegmentationMetrics.of(cm, java.util.List.of("bg", "a", "b"), 2);
        // bg: TP 1, FN 1 (A) + 1 (B), FP 0 -> 1/3; a: TP 2, FP 1 -> 2/3; b: TP 0, FN 2 -> 0
        assertEquals(1.0 / 3, m.perClassIou().get("bg"), 1e-12);
        assertEquals(2.0 / 3, m.perClassIou().get("a"), 1e-12);
        assertEquals(0.0, m.perClassIou().get("b"), 1e-12);
        assertEquals(1.0 / 3, m.miou(), 1e-12);
        assertEquals(3.0 / 7, m.pixelAccuracy(), 1e-12);   // 3 right of 7 scored pixels
        assertEquals((1.0 / 3 + 1 + 0) / 3, m.meanAccuracy(), 1e-12);
        // (dropping image B, as an inner join did, scores bg 1/2, a 2/3 and leaves b out: mIoU 7/12)
    }

    @Test
    void countsHandCaseSkippingIgnoreAndKeepingUncertainApart() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(PRED, GT);
        // pixel 8 (gt 255) is skipped; pixel 9 (gt 0, pred 255) is an unassigned miss of class 0
        long[][] expected = {
                {2, 1, 0},
                {0, 2, 1},
                {1, 0, 1}};
        assertArrayEquals(expected, cm.counts());
        assertEquals(1, cm.unassigned(0));
        assertEquals(0, cm.unassigned(1));
        assertEquals(4, cm.gtTotal(0));
        assertEquals(3, cm.predTotal(0));
        assertEquals(9, cm.total());
        assertEquals(1, cm.count(2, 0));
    }

    @Test
    void ignoredGroundTruthContributesNothingWhateverThePrediction() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(bytes(0, 1, 2, 255), bytes(255, 255, 255, 255));
        assertEquals(0, cm.total());
        assertArrayEquals(new long[3][3], cm.counts());
    }

    @Test
    void intAndByteInputsAgreeAndNegativePredictionIsUnassigned() {
        ConfusionMatrix fromBytes = new ConfusionMatrix(3);
        fromBytes.add(PRED, GT);
        ConfusionMatrix fromInts = new ConfusionMatrix(3);
        fromInts.add(new int[]{0, 0, 1, 1, 1, 2, 2, 0, 1, -1}, new int[]{0, 0, 0, 1, 1, 1, 2, 2, 255, 0});
        assertArrayEquals(fromBytes.counts(), fromInts.counts());
        assertEquals(1, fromInts.unassigned(0));
    }

    @Test
    void mergeEqualsAddingEverythingAtOnceAndMatchesBruteForce() {
        Random random = new Random(7);
        int labels = 5;
        int n = 3000;
        int[] gt = new int[n];
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            gt[i] = random.nextInt(10) == 0 ? 255 : random.nextInt(labels);
            pred[i] = random.nextInt(12) == 0 ? 255 : random.nextInt(labels);
        }
        ConfusionMatrix whole = new ConfusionMatrix(labels);
        whole.add(pred, gt);

        ConfusionMatrix merged = new ConfusionMatrix(labels);
        int[] cuts = {0, 17, 1000, 1001, 2500, n};
        for (int k = 0; k + 1 < cuts.length; k++) {
            ConfusionMatrix part = new ConfusionMatrix(labels);
            part.add(Arrays.copyOfRange(pred, cuts[k], cuts[k + 1]),
                    Arrays.copyOfRange(gt, cuts[k], cuts[k + 1]));
            merged.merge(part);
        }
        long[][] reference = new long[labels][labels];
        long[] referenceUnassigned = new long[labels];
        for (int i = 0; i < n; i++) {
            if (gt[i] == 255) {
                continue;
            }
            if (pred[i] == 255) {
                referenceUnassigned[gt[i]]++;
            } else {
                reference[gt[i]][pred[i]]++;
            }
        }
        assertArrayEquals(reference, whole.counts());
        assertArrayEquals(reference, merged.counts());
        for (int g = 0; g < labels; g++) {
            assertEquals(referenceUnassigned[g], merged.unassigned(g));
            assertEquals(referenceUnassigned[g], whole.unassigned(g));
        }
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(PRED, GT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(cm);
        }
        ConfusionMatrix copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ConfusionMatrix) in.readObject();
        }
        assertArrayEquals(cm.counts(), copy.counts());
        assertEquals(1, copy.unassigned(0));
    }

    @Test
    void countsReturnsACopy() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        cm.add(bytes(1), bytes(1));
        cm.counts()[1][1] = 99;
        assertEquals(1, cm.count(1, 1));
    }

    @Test
    void rejectsBadInputsWithReasons() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> cm.add(bytes(0, 1), bytes(0)));
        assertTrue(length.getMessage().contains("2") && length.getMessage().contains("1"), length.getMessage());
        IllegalArgumentException gt = assertThrows(IllegalArgumentException.class,
                () -> cm.add(bytes(0), bytes(7)));
        assertTrue(gt.getMessage().contains("ground-truth value 7"), gt.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cm.merge(new ConfusionMatrix(4)));
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
        assertThrows(IndexOutOfBoundsException.class, () -> cm.count(0, 3));
    }
}
