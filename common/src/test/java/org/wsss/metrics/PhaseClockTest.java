package org.wsss.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseClockTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(Map<String, Object> split, int i) {
        return ((List<Map<String, Object>>) split.get("time_split")).get(i);
    }

    @Test
    void splitDividesTheTaskTimeAmongThePhasesAndCallsTheRestOther() {
        PhaseClock a = new PhaseClock();
        a.add("decode", 1_500_000_000L, 3);
        a.add("network", 4_000_000_000L, 3);
        PhaseClock b = new PhaseClock();
        b.add("decode", 500_000_000L, 2);
        b.add("crf", 1_000_000_000L, 2);
        a.addAll(b);

        // phases: decode 2 s, network 4 s, crf 1 s = 7 s of 10 s of task time
        Map<String, Object> split = a.split(10.0, 9.5);
        assertEquals(10.0, (double) split.get("task_seconds"), 1e-12);
        assertEquals(9.5, (double) split.get("task_cpu_seconds"), 1e-12);
        assertEquals("network", split.get("largest_phase"));
        assertEquals(0.4, (double) split.get("largest_phase_fraction"), 1e-12);
        String[] names = {"decode", "network", "crf", "other"};
        double[] seconds = {2, 4, 1, 3};
        long[] calls = {5, 3, 2, 0};
        for (int i = 0; i < names.length; i++) {
            assertEquals(names[i], row(split, i).get("phase"));
            assertEquals(seconds[i], (double) row(split, i).get("task_seconds"), 1e-9);
            assertEquals(seconds[i] / 10, (double) row(split, i).get("fraction"), 1e-9);
            assertEquals(calls[i], row(split, i).get("calls"));
        }
    }

    @Test
    void aTaskTimeBelowThePhasesSumFallsBackToTheSumAndAnUnknownCpuTimeIsLeftOut() {
        PhaseClock c = new PhaseClock();
        c.add("walk", 3_000_000_000L, 1);
        c.add("png", 1_000_000_000L, 1);
        Map<String, Object> split = c.split(0, -1);
        assertEquals(4.0, (double) split.get("task_seconds"), 1e-12);
        assertFalse(split.containsKey("task_cpu_seconds"));
        assertEquals(0.0, (double) row(split, 2).get("task_seconds"), 1e-12);
        assertEquals(0.75, (double) split.get("largest_phase_fraction"), 1e-12);

        Map<String, Object> mostlyOther = c.split(20, 19);
        assertEquals("other", mostlyOther.get("largest_phase"));
        assertEquals(0.8, (double) mostlyOther.get("largest_phase_fraction"), 1e-12);
    }

    @Test
    void aLapAddsTheTimeBetweenStartAndCloseAndANullClockRecordsNothing() throws Exception {
        PhaseClock c = new PhaseClock();
        long t0 = System.nanoTime();
        try (PhaseClock.Lap lap = c.start("sleep")) {
            Thread.sleep(30);
        }
        long elapsed = System.nanoTime() - t0;
        assertTrue(c.seconds("sleep") >= 0.030 && c.seconds("sleep") <= elapsed / 1e9,
                "lap " + c.seconds("sleep") + " s for a 30 ms sleep within " + elapsed / 1e9 + " s");
        assertEquals(1, c.calls("sleep"));
        try (PhaseClock.Lap lap = PhaseClock.start(null, "untimed")) {
            assertTrue(c.phaseNames().equals(List.of("sleep")));
        }
        assertEquals(List.of("sleep"), c.phaseNames());
        assertThrows(IllegalArgumentException.class, () -> c.start(PhaseClock.OTHER));
        assertThrows(IllegalArgumentException.class, () -> c.start(" "));
        assertThrows(IllegalArgumentException.class, () -> c.add("x", -1, 1));
    }
}
