package org.wsss.irn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IrnWalkTest {

    @Test
    void aClassSpreadsOverItsSideOfABoundaryWallAndNoFurther() {
        // 6x6: a wall of boundary 1 down column 3; one CAM cell of class 5 at (2, 1). Every path across the wall
        // meets boundary 1 (affinity 0), so the walk fills columns 0-2 and nothing else; the wall's own cells are
        // multiplied by 1 - 1 = 0 and cut off. After the global normalisation the left side is near 1, above the
        // constant background 0.25; the rest stays 0.
        int side = 6;
        float[] boundary = new float[side * side];
        for (int y = 0; y < side; y++) {
            boundary[y * side + 3] = 1;
        }
        float[] cam = new float[side * side];
        cam[2 * side + 1] = 1;
        byte[] labels = IrnWalk.IRN.labels(boundary, side, side, cam, new int[]{5}, side, side);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                assertEquals(x < 3 ? 5 : 0, labels[y * side + x], "(" + y + ", " + x + ")");
            }
        }
        float[] walked = IrnWalk.IRN.walk(boundary, side, side, cam, 1);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float v = walked[y * side + x];
                assertEquals(x < 3, v > 0, "(" + y + ", " + x + ") walked " + v + ": reached only on its side");
            }
        }
    }

    @Test
    void aCamOnTheBoundaryItselfIsCutAndTheImageIsBackground() {
        float[] boundary = {0, 1, 0, 0};
        float[] cam = {0, 1, 0, 0};
        byte[] labels = IrnWalk.IRN.labels(boundary, 2, 2, cam, new int[]{3}, 2, 2);
        assertEquals(0, labels[0] + labels[1] + labels[2] + labels[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IrnWalk(5, 10, 256, 1.5, 1));
        assertEquals("IRNet walk: radius >= 2, beta > 0, steps >= 0, background score in [0, 1] and threads >= 1, "
                + "got 5, 10.0, 256, 1.5, 1", e.getMessage());
    }
}
