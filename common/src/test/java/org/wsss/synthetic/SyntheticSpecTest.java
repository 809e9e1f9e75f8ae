package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticSpecTest {

    private static void rejected(Runnable make, String field, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains(value),
                "message should name " + field + " and " + value + ": " + e.getMessage());
    }

    @Test
    void rejectsOutOfRangeValuesNamingFieldAndValue() {
        rejected(() -> new SyntheticSpec(0, 64, 1, 0.2, 3), "count", "0");
        rejected(() -> new SyntheticSpec(10, 31, 1, 0.2, 3), "size", "31");
        rejected(() -> new SyntheticSpec(10, 5000, 1, 0.2, 3), "size", "5000");
        rejected(() -> new SyntheticSpec(10, 64, 1, -0.1, 3), "valFraction", "-0.1");
        rejected(() -> new SyntheticSpec(10, 64, 1, 1.5, 3), "valFraction", "1.5");
        rejected(() -> new SyntheticSpec(10, 64, 1, Double.NaN, 3), "valFraction", "NaN");
        rejected(() -> new SyntheticSpec(10, 64, 1, 0.2, 0), "maxObjects", "0");
        rejected(() -> new SyntheticSpec(10, 64, 1, 0.2, 17), "maxObjects", "17");
    }

    @Test
    void acceptsBoundaryValues() {
        assertDoesNotThrow(() -> new SyntheticSpec(1, 32, -5, 0.0, 1));
        assertDoesNotThrow(() -> new SyntheticSpec(1, 4096, Long.MAX_VALUE, 1.0, 16));
    }
}
