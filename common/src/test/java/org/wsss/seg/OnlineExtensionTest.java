package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsss.data.Point;

class OnlineExtensionTest {

    private static final int U = 255;

    /** Probabilities (3, h, w) where pixel i has {@code top[i]} at class {@code cls[i]}, the rest split evenly. */
    private static float[] probs(int[] cls, double[] top) {
        int cells = cls.length;
        float[] p = new float[3 * cells];
        for (int i = 0; i < cells; i++) {
            for (int c = 0; c < 3; c++) {
                p[c * cells + i] = (float) (c == cls[i] ? top[i] : (1 - top[i]) / 2);
            }
        }
        return p;
    }

    private static int[] unsigned(byte[] map) {
        int[] out = new int[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = map[i] & 0xff;
        }
        return out;
    }

    @Test
    void keepsConfidentPixelsOfTheImagesClassesInsideTheSquaresAroundPoints() {
        int[] cls = {
                1, 1, 1, 2, 2, 0,
                1, 1, 2, 2, 2, 0,
                0, 1, 1, 2, 0, 0,
                0, 0, 0, 2, 0, 0};
        double[] top = {
                .9, .9, .6, .8, .9, .9,
                .9, .8, .75, .9, .9, .9,
                .95, .71, .7, .9, .8, .9,
                .9, .9, .9, .9, .9, .9};
        // a class-1 point at (x 1, y 1) and a class-2 point at (4, 0), 3x3 squares; background is not in the label set
        byte[] extended = OnlineExtension.extend(probs(cls, top), 4, 6, new int[]{1, 2},
                List.of(new Point(1, 1, 1), new Point(4, 0, 2)), 0.7, 3);
        int[] expected = {
                1, 1, U, 2, 2, U,   // (2,0) score .6; (5,0) background
                1, 1, 2, 2, 2, U,   // (2,1) is class 2 at .75, inside the first point's square
                U, 1, U, U, U, U,   // (0,2) background; (2,2) .7 is not above the threshold; (3,2) outside both squares
                U, U, U, U, U, U};
        assertArrayEquals(expected, unsigned(extended));
        // without class 2 in the label set, its pixels stay unlabelled even next to its own point
        int[] onlyOne = unsigned(OnlineExtension.extend(probs(cls, top), 4, 6, new int[]{1},
                List.of(new Point(1, 1, 1), new Point(4, 0, 2)), 0.7, 3));
        assertArrayEquals(new int[]{1, 1, U, U, U, U, 1, 1, U, U, U, U, U, 1, U, U, U, U, U, U, U, U, U, U}, onlyOne);
    }

    @Test
    void pdmlWindowIsAFiveByFiveSquareClippedAtTheBorder() {
        int[] cls = new int[36];
        double[] top = new double[36];
        java.util.Arrays.fill(cls, 1);
        java.util.Arrays.fill(top, 0.9);
        int[] centre = unsigned(OnlineExtension.extend(probs(cls, top), 6, 6, new int[]{1},
                List.of(new Point(2, 3, 1)), OnlineExtension.PDML_THRESHOLD, OnlineExtension.PDML_WINDOW));
        int labelled = 0;
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                boolean inside = x <= 4 && y >= 1 && y <= 5;
                assertEquals(inside ? 1 : U, centre[y * 6 + x], "pixel " + x + "," + y);
                labelled += inside ? 1 : 0;
            }
        }
        assertEquals(25, labelled);
        int[] corner = unsigned(OnlineExtension.extend(probs(cls, top), 6, 6, new int[]{1},
                List.of(new Point(0, 0, 1)), 0.7, 5));
        assertEquals(9, java.util.Arrays.stream(corner).filter(v -> v == 1).count());
    }

    @Test
    void pointsOverrideTheExtension() {
        byte[] extended = {(byte) U, 1, (byte) U, (byte) U};
        int[] merged = unsigned(OnlineExtension.withPoints(extended, 2, 2, List.of(new Point(0, 1, 2))));
        assertArrayEquals(new int[]{U, 1, 2, U}, merged);
        assertEquals(U, extended[2] & 0xff, "input left as it was");
    }

    @Test
    void rejectsBadArguments() {
        float[] p = new float[3 * 4];
        assertThrows(IllegalArgumentException.class,
                () -> OnlineExtension.extend(p, 2, 2, new int[]{1}, List.of(), 0.7, 4));
        assertThrows(IllegalArgumentException.class,
                () -> OnlineExtension.extend(p, 2, 2, new int[]{3}, List.of(), 0.7, 5));
        assertThrows(IllegalArgumentException.class,
                () -> OnlineExtension.extend(p, 2, 2, new int[]{1}, List.of(new Point(2, 0, 1)), 0.7, 5));
    }
}
