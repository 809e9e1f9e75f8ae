package org.wsss.crf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastExpTest {
    @Test
    void matchesMathExp() {
        double worstNearZero = 0;
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.00137f) {
            double rel = Math.abs(FastExp.exp(x) / Math.exp(x) - 1);
            worst = Math.max(worst, rel);
            if (Math.abs(x) <= 1) {
                worstNearZero = Math.max(worstNearZero, rel);
            }
        }
        assertTrue(worstNearZero < 3e-7, "relative error near 0: " + worstNearZero);
        assertTrue(worst < 1e-5, "relative error on [-87, 88]: " + worst);
    }

    @Test
    void veryNegativeArgumentsStayTinyAndPositive() {
        float v = FastExp.exp(-1000f);
        assertTrue(v > 0 && v < 2e-38, "exp(-1000) gave " + v);
        assertTrue(FastExp.exp(0f) == 1f);
    }
}
