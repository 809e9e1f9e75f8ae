package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Outline areas against hand-computed geometry, on a fine grid over the unit square [-1, 1]^2. */
class ObjectShapeTest {
    private static final int GRID = 800;

    private static double area(ObjectShape s) {
        int inside = 0;
        for (int j = 0; j < GRID; j++) {
            for (int i = 0; i < GRID; i++) {
                if (s.contains(-1 + (i + 0.5) * 2.0 / GRID, -1 + (j + 0.5) * 2.0 / GRID)) {
                    inside++;
                }
            }
        }
        return 4.0 * inside / ((double) GRID * GRID);
    }

    @Test
    void areasMatchTheirGeometry() {
        assertEquals(Math.PI, area(ObjectShape.DISC), 0.01);
        assertEquals(Math.PI * (1 - 0.25), area(ObjectShape.RING), 0.01);
        assertEquals(1.4 * 1.4, area(ObjectShape.SQUARE), 0.01);
        // two 0.6 x 1.9 bars sharing a 0.6 x 0.6 centre
        assertEquals(2 * 0.6 * 1.9 - 0.36, area(ObjectShape.CROSS), 0.01);
        // equilateral triangle with circumradius 1
        assertEquals(3 * Math.sqrt(3) / 4, area(ObjectShape.TRIANGLE), 0.01);
        // ten triangles (centre, tip, inner vertex at radius 0.45, 36 degrees apart)
        assertEquals(10 * 0.5 * 0.45 * Math.sin(Math.toRadians(36)), area(ObjectShape.STAR), 0.01);
    }

    @Test
    void starTipsAreInsideAndTheNotchesBetweenThemOutside() {
        for (int k = 0; k < 5; k++) {
            double tip = Math.toRadians(72 * k);
            double notch = Math.toRadians(72 * k + 36);
            assertTrue(ObjectShape.STAR.contains(0.95 * Math.cos(tip), 0.95 * Math.sin(tip)), "tip " + k);
            assertFalse(ObjectShape.STAR.contains(0.6 * Math.cos(notch), 0.6 * Math.sin(notch)), "notch " + k);
            assertTrue(ObjectShape.STAR.contains(0.4 * Math.cos(notch), 0.4 * Math.sin(notch)), "core " + k);
        }
        assertFalse(ObjectShape.RING.contains(0, 0));
        assertTrue(ObjectShape.RING.contains(0.75, 0));
    }
}
