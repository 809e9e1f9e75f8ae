package org.wsss.spark.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PolyScheduleTest {

    @Test
    void decaysOnceOverTheRoundsOfAllEpochs() {
        // 2 + 3 = 5 rounds; power 2: base * (1 - t/5)^2 for t = 0..4
        PolySchedule s = new PolySchedule(0.1, 2, new long[]{2, 3});
        assertEquals(5, s.totalRounds());
        assertEquals(0.1, s.rate(0, 0), 1e-12);
        assertEquals(0.1 * 0.64, s.rate(0, 1), 1e-12);
        assertEquals(0.1 * 0.36, s.rate(1, 0), 1e-12);
        assertEquals(0.1 * 0.16, s.rate(1, 1), 1e-12);
        assertEquals(0.1 * 0.04, s.rate(1, 2), 1e-12);
        assertEquals(0.1 * 0.64, s.lastRate(0), 1e-12);
        assertEquals(0.1 * 0.04, s.lastRate(1), 1e-12);
    }

    @Test
    void aLongerLaterEpochStillEndsAboveZero() {
        // a balanced epoch twice the first's length: its last round is round 5 of 6, rate base/6 with power 1
        // (counting every epoch as long as the first put rounds 4 and 5 past the end, at rate 0)
        PolySchedule s = new PolySchedule(0.6, 1, new long[]{2, 4});
        assertEquals(0.6 * 3 / 6, s.rate(1, 1), 1e-12);
        assertEquals(0.6 / 6, s.rate(1, 3), 1e-12);
        // strictly decreasing across the epoch boundary
        double previous = Double.MAX_VALUE;
        int[] rounds = {2, 4};
        for (int e = 0; e < 2; e++) {
            for (int r = 0; r < rounds[e]; r++) {
                assertTrue(s.rate(e, r) < previous, "epoch " + e + " round " + r);
                previous = s.rate(e, r);
            }
        }
    }

    @Test
    void powerZeroLeavesTheConfiguredRate() {
        assertNull(new PolySchedule(0.1, 0, new long[]{3}).epoch(0));
        assertNotNull(new PolySchedule(0.1, 0.9, new long[]{3}).epoch(0));
    }

    @Test
    void anEpochWithoutRoundsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PolySchedule(0.1, 1, new long[]{2, 0}));
        assertTrue(e.getMessage().contains("[2, 0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PolySchedule(0.1, 1, new long[0]));
    }
}
