package org.wsss.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class InstanceApTest {

    /** A mask of {@code n} pixels, true on [from, to). */
    private static boolean[] mask(int n, int from, int to) {
        boolean[] m = new boolean[n];
        for (int i = from; i < to; i++) {
            m[i] = true;
        }
        return m;
    }

    private static InstanceAp.Instance inst(int c, double score, boolean[] m) {
        return new InstanceAp.Instance(c, score, m);
    }

    @Test
    void vocAveragePrecisionByHand() {
        // class 1. Image A (20 px): ground truth g1 = [0, 5), g2 = [10, 15); image B: g3 = [0, 10).
        // p1 (0.9, A) = g1 exactly: TP. p2 (0.8, B) = [6, 16): IoU with g3 4/16 = 0.25: FP.
        // p3 (0.7, A) = [10, 16): IoU with g2 5/6: TP.
        // precision 1, 1/2, 2/3 at recall 1/3, 1/3, 2/3; envelope 1, 2/3, 2/3; AP = 1/3 * 1 + 1/3 * 2/3 = 5/9
        List<List<InstanceAp.Instance>> truth = List.of(
                List.of(inst(1, 0, mask(20, 0, 5)), inst(1, 0, mask(20, 10, 15))),
                List.of(inst(1, 0, mask(20, 0, 10))));
        List<List<InstanceAp.Instance>> pred = List.of(
                List.of(inst(1, 0.9, mask(20, 0, 5)), inst(1, 0.7, mask(20, 10, 16))),
                List.of(inst(1, 0.8, mask(20, 6, 16))));
        double[] ap = InstanceAp.perClass(pred, truth, 2, 0.5);
        assertEquals(5.0 / 9, ap[0], 1e-12);
        assertTrue(Double.isNaN(ap[1]), "class 2 has no ground truth");
        assertEquals(5.0 / 9, InstanceAp.mean(ap), 1e-12, "the mean leaves the class without ground truth out");
    }

    @Test
    void aSecondDetectionOfOneInstanceIsAFalsePositiveAndAnotherClassNeverMatches() {
        // one ground-truth instance, detected twice (0.9 then 0.8) and once as class 2: the second detection is a
        // false positive after recall reached 1 at precision 1, so class 1's AP is 1; class 2 has no ground truth
        List<List<InstanceAp.Instance>> truth = List.of(List.of(inst(1, 0, mask(10, 0, 4))));
        List<List<InstanceAp.Instance>> pred = List.of(List.of(inst(1, 0.9, mask(10, 0, 4)),
                inst(1, 0.8, mask(10, 0, 4)), inst(2, 0.95, mask(10, 0, 4))));
        double[] ap = InstanceAp.perClass(pred, truth, 2, 0.5);
        assertEquals(1.0, ap[0], 1e-12);
        List<List<InstanceAp.Instance>> missed = List.of(List.of(inst(1, 0.9, mask(10, 5, 10))));
        assertEquals(0.0, InstanceAp.perClass(missed, truth, 1, 0.5)[0], 1e-12, "no overlap: AP 0");
    }
}
