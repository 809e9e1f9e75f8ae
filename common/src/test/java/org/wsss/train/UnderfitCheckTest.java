package org.wsss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.BalancedSigmoidLoss;

class UnderfitCheckTest {

    @Test
    void balancedWeightsMakeOneHalfTheBestConstantAnswer() {
        // w = negatives / positives moves the best constant score to 1/2 for any share p; the loss there is
        // (w p + 1 - p) ln 2 = 2 (1 - p) ln 2: 1.6 ln 2 for p = 0.2, 1.5 ln 2 for p = 0.25
        double loss = UnderfitCheck.constantAnswerLoss(new BalancedSigmoidLoss(new double[]{4, 3}, 0),
                new long[]{20, 25}, 100);
        assertEquals(1.6 * Math.log(2) + 1.5 * Math.log(2), loss, 1e-12);
    }

    @Test
    void plainCrossEntropyCostsTheEntropyOfEachShare() {
        // unweighted: the best constant answer is the share itself and costs its binary entropy
        double h25 = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
        double h10 = -(0.1 * Math.log(0.1) + 0.9 * Math.log(0.9));
        assertEquals(h25 + h10, UnderfitCheck.constantAnswerLoss(plain(), new long[]{5, 2}, 20), 1e-12);
        // a class on no image and one on every image are answered exactly
        assertEquals(0, UnderfitCheck.constantAnswerLoss(plain(), new long[]{0, 20}, 20), 0);
    }

    @Test
    void equalsTheLossFunctionsOwnScoreOfThatConstantAnswer() {
        // 10 images, class 0 on 3 of them (w = 7/3), class 1 on 5 (w = 1): BalancedSigmoidLoss itself scores the
        // answer q = w p / (w p + 1 - p) for every image
        double[] w = BalancedSigmoidLoss.weightsFromCounts(new long[]{3, 5}, 10, 20);
        double q0 = w[0] * 0.3 / (w[0] * 0.3 + 0.7);
        double q1 = 0.5;
        double[][] labels = new double[10][2];
        double[][] scores = new double[10][2];
        for (int i = 0; i < 10; i++) {
            labels[i][0] = i < 3 ? 1 : 0;
            labels[i][1] = i < 5 ? 1 : 0;
            scores[i][0] = q0;
            scores[i][1] = q1;
        }
        INDArray y = Nd4j.createFromArray(labels);
        INDArray p = Nd4j.createFromArray(scores);
        double byLoss = new BalancedSigmoidLoss(w, 0).computeScore(y, p, new ActivationIdentity(), null, true);
        assertEquals(byLoss, UnderfitCheck.constantAnswerLoss(new BalancedSigmoidLoss(w, 0), new long[]{3, 5}, 10),
                1e-9);
    }

    @Test
    void focalSearchFindsTheMinimumOfABruteForceGrid() {
        double w = 4;
        double p = 0.2;
        double gamma = 2;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 1; i < 100_000; i++) {
            double q = i / 100_000.0;
            double v = -(w * p * Math.pow(1 - q, gamma) * Math.log(q) + (1 - p) * Math.pow(q, gamma) * Math.log(1 - q));
            best = Math.min(best, v);
        }
        double found = UnderfitCheck.constantAnswerLoss(new BalancedSigmoidLoss(new double[]{w}, gamma),
                new long[]{20}, 100);
        assertTrue(found <= best + 1e-12, found + " vs grid " + best);
        assertEquals(best, found, 1e-6);
        // the focal factor only discounts terms, so the focal optimum costs less than the plain one
        assertTrue(found < UnderfitCheck.constantAnswerLoss(new BalancedSigmoidLoss(new double[]{w}, 0),
                new long[]{20}, 100));
    }

    @Test
    void flagsALossThatStaysNearTheConstantAnswer() {
        // real-photo runs (README): 30 epochs ended at 10.82 against 11.44; 200 epochs at 5.67 against 11.46
        UnderfitCheck.Verdict shortRun = UnderfitCheck.check(10.82, 11.44, 0.9);
        assertTrue(shortRun.underfit());
        assertEquals(10.82 / 11.44, shortRun.ratio(), 1e-12);
        assertTrue(shortRun.message().startsWith("classifier.underfit: the last epoch's train loss 10.8200 is 0.95"),
                shortRun.message());
        assertTrue(shortRun.message().contains("classifier.epochs"), shortRun.message());
        assertFalse(UnderfitCheck.check(5.67, 11.46, 0.9).underfit());
        // at the ratio exactly: not flagged; 0 turns the check off; a loss above the constant answer's is flagged
        assertFalse(UnderfitCheck.check(9, 10, 0.9).underfit());
        assertFalse(UnderfitCheck.check(12, 10, 0).underfit());
        assertTrue(UnderfitCheck.check(12, 10, 0.9).underfit());
        assertTrue(UnderfitCheck.check(Double.NaN, 10, 0.9).underfit(), "a NaN loss fits nothing");
        assertFalse(UnderfitCheck.check(1, 0, 0.9).underfit(), "nothing to compare with");
        assertEquals(Boolean.TRUE, shortRun.toMap().get("underfit"));
        assertEquals(11.44, shortRun.toMap().get("constant_answer_loss"));
    }

    @Test
    void rejectsInconsistentCounts() {
        assertThrows(IllegalArgumentException.class,
                () -> UnderfitCheck.constantAnswerLoss(plain(), new long[]{11}, 10));
        assertThrows(IllegalArgumentException.class,
                () -> UnderfitCheck.constantAnswerLoss(new BalancedSigmoidLoss(new double[]{1, 2}, 0), new long[]{1},
                        10));
        assertThrows(IllegalArgumentException.class,
                () -> UnderfitCheck.constantAnswerLoss(plain(), new long[]{1}, 0));
        assertThrows(IllegalArgumentException.class, () -> UnderfitCheck.check(1, 2, -0.1));
    }

    private static BalancedSigmoidLoss plain() {
        return new BalancedSigmoidLoss(new double[0], 0);
    }
}
