package org.wsss.metrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiLabelMetricsTest {
    private static final double EPS = 1e-12;

    /*
     * C = 4 classes, samples (true -> predicted):
     *   s1 {0,1} -> {0}     s2 {1} -> {1,2}     s3 {0} -> {0,1}     s4 {} -> {}
     * c0: TP 2, FP 0, FN 0 -> P 1,   R 1,   F1 1
     * c1: TP 1, FP 1, FN 1 -> P 1/2, R 1/2, F1 2/(2+1+1) = 1/2
     * c2: TP 0, FP 1, FN 0 -> P 0,   R NaN, F1 0/(0+1+0) = 0
     * c3: nothing          -> P NaN, R NaN, F1 NaN (excluded from macro means)
     * micro: TP 3, FP 2, FN 1 -> P 3/5, R 3/4, F1 6/(6+2+1) = 2/3
     * macro: P (1 + 1/2 + 0)/3 = 1/2, R (1 + 1/2)/2 = 3/4, F1 (1 + 1/2 + 0)/3 = 1/2
     */
    static MultiLabelMetrics handCase() {
        MultiLabelMetrics m = new MultiLabelMetrics(4);
        m.add(new int[]{0, 1}, new int[]{0});
        m.add(new int[]{1}, new int[]{1, 2});
        m.add(new int[]{0}, new int[]{0, 1});
        m.add(new int[]{}, new int[]{});
        return m;
    }

    @Test
    void handComputedMicroAndMacroScores() {
        MultiLabelMetrics m = handCase();
        assertEquals(4, m.numSamples());
        assertEquals(0.6, m.microPrecision(), EPS);
        assertEquals(0.75, m.microRecall(), EPS);
        assertEquals(2.0 / 3, m.microF1(), EPS);
        assertEquals(0.5, m.macroPrecision(), EPS);
        assertEquals(0.75, m.macroRecall(), EPS);
        assertEquals(0.5, m.macroF1(), EPS);
        assertEquals(0.0, m.f1(2), EPS);
        assertTrue(Double.isNaN(m.f1(3)));
        assertTrue(Double.isNaN(m.recall(2)));
        assertEquals(0.5, m.toMap().get("macro_f1"));
        assertEquals(4L, m.toMap().get("num_samples"));
    }

    @Test
    void booleanAndIndexInputsAgreeAndDuplicatesCountOnce() {
        MultiLabelMetrics m = new MultiLabelMetrics(4);
        m.add(new boolean[]{true, true, false, false}, new boolean[]{true, false, false, false});
        m.add(new boolean[]{false, true, false, false}, new boolean[]{false, true, true, false});
        m.add(new int[]{0, 0}, new int[]{0, 1, 1});
        m.add(new boolean[4], new boolean[4]);
        MultiLabelMetrics expected = handCase();
        for (int c = 0; c < 4; c++) {
            assertEquals(expected.truePositives(c), m.truePositives(c));
            assertEquals(expected.falsePositives(c), m.falsePositives(c));
            assertEquals(expected.falseNegatives(c), m.falseNegatives(c));
        }
    }

    @Test
    void mergeEqualsAddingAllAtOnceAndSurvivesSerialization() throws Exception {
        MultiLabelMetrics a = new MultiLabelMetrics(4);
        a.add(new int[]{0, 1}, new int[]{0});
        MultiLabelMetrics b = new MultiLabelMetrics(4);
        b.add(new int[]{1}, new int[]{1, 2});
        b.add(new int[]{0}, new int[]{0, 1});
        b.add(new int[]{}, new int[]{});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            a.merge((MultiLabelMetrics) in.readObject());
        }
        assertEquals(4, a.numSamples());
        assertEquals(2.0 / 3, a.microF1(), EPS);
        assertEquals(0.5, a.macroF1(), EPS);
        assertEquals(0.75, a.macroRecall(), EPS);
    }

    @Test
    void emptyMetricsAreNan() {
        MultiLabelMetrics m = new MultiLabelMetrics(2);
        m.add(new int[]{}, new int[]{});
        assertTrue(Double.isNaN(m.microF1()));
        assertTrue(Double.isNaN(m.macroF1()));
        assertTrue(Double.isNaN(m.microPrecision()));
    }

    @Test
    void thresholdKeepsScoresAtOrAboveT() {
        assertArrayEquals(new int[]{1, 2}, MultiLabelMetrics.threshold(new double[]{0.1, 0.5, 0.7, 0.49}, 0.5));
        assertArrayEquals(new int[]{}, MultiLabelMetrics.threshold(new double[]{0.1, 0.2}, 0.5));
    }

    @Test
    void rejectsOutOfRangeLabelsAndWrongLengths() {
        MultiLabelMetrics m = new MultiLabelMetrics(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add(new int[]{3}, new int[]{}));
        assertTrue(e.getMessage().contains("true label 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.add(new boolean[2], new boolean[3]));
        assertThrows(IllegalArgumentException.class, () -> m.merge(new MultiLabelMetrics(2)));
    }
}
