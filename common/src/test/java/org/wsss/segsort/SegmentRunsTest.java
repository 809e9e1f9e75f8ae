package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SegmentRunsTest {

    @Test
    void runsByHandAndBack() {
        int[] map = {3, 3, 3, -1, 0, 0, 3};
        int[] runs = SegmentRuns.encode(map);
        assertArrayEquals(new int[]{3, 3, -1, 1, 0, 2, 3, 1}, runs);
        assertArrayEquals(map, SegmentRuns.decode(runs, map.length));
        assertArrayEquals(new int[0], SegmentRuns.encode(new int[0]));
    }

    @Test
    void randomPiecewiseMapsRoundTripWithOneRunPerChange() {
        Random r = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            int[] map = new int[1 + r.nextInt(5000)];
            int changes = 0;
            for (int i = 0; i < map.length; i++) {
                map[i] = i > 0 && r.nextInt(20) != 0 ? map[i - 1] : r.nextInt(40) - 1;
                changes += i > 0 && map[i] != map[i - 1] ? 1 : 0;
            }
            int[] runs = SegmentRuns.encode(map);
            assertEquals(2 * (changes + 1), runs.length);
            assertArrayEquals(map, SegmentRuns.decode(runs, map.length));
        }
    }

    @Test
    void runsThatDoNotFitTheMapAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SegmentRuns.decode(new int[]{1, 3}, 4));
        assertEquals("segment runs describe 3 values, not 4", e.getMessage());
    }
}
