package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.wsss.data.RgbImage;

class AugmenterTest {

    private static RgbImage noise(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) r.nextInt(256);
        }
        return new RgbImage(w, h, rgb);
    }

    @Test
    void sameSeedGivesTheSameSequenceAndOtherSeedsDiffer() {
        Augmenter.Settings s = Augmenter.Settings.defaults(48);
        RgbImage img = noise(60, 40, 1);
        Augmenter a = new Augmenter(s, 42);
        Augmenter b = new Augmenter(s, 42);
        Augmenter c = new Augmenter(s, 43);
        boolean anyDifferent = false;
        for (int i = 0; i < 5; i++) {
            RgbImage x = a.apply(img);
            assertArrayEquals(x.rgb(), b.apply(img).rgb(), "call " + i);
            anyDifferent |= !Arrays.equals(x.rgb(), c.apply(img).rgb());
        }
        assertFalse(!anyDifferent, "seed 43 should give other augmentations than seed 42");
    }

    @Test
    void outputIsAlwaysTheCropSizeForSmallAndLargeInputs() {
        Augmenter aug = new Augmenter(new Augmenter.Settings(32, 20, 90, 0.5, 0.3, 0.3, 0.3), 5);
        for (int[] wh : new int[][] {{10, 7}, {300, 50}, {32, 32}, {1, 1}}) {
            for (int i = 0; i < 4; i++) {
                RgbImage out = aug.apply(noise(wh[0], wh[1], i));
                assertEquals(32, out.width());
                assertEquals(32, out.height());
            }
        }
    }

    @Test
    void withoutRandomChoicesTheImageIsUnchanged() {
        RgbImage img = noise(24, 24, 9);
        Augmenter aug = new Augmenter(new Augmenter.Settings(24, 24, 24, 0, 0, 0, 0), 3);
        assertArrayEquals(img.rgb(), aug.apply(img).rgb());
        Augmenter flipOnly = new Augmenter(new Augmenter.Settings(24, 24, 24, 1, 0, 0, 0), 3);
        RgbImage flipped = flipOnly.apply(img);
        assertEquals(img.r(0, 5), flipped.r(23, 5));
        assertEquals(img.b(17, 2), flipped.b(6, 2));
    }

    @Test
    void smallImagesArePaddedWithTheMeanColourAroundAnIntactCopy() {
        byte[] rgb = new byte[10 * 10 * 3]; // black 10 x 10
        Augmenter aug = new Augmenter(new Augmenter.Settings(16, 10, 10, 0, 0, 0, 0), 11);
        RgbImage out = aug.apply(new RgbImage(10, 10, rgb));
        int black = 0;
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                if (out.r(x, y) == 0 && out.g(x, y) == 0 && out.b(x, y) == 0) {
                    black++;
                } else {
                    assertEquals(124, out.r(x, y));
                    assertEquals(116, out.g(x, y));
                    assertEquals(104, out.b(x, y));
                }
            }
        }
        assertEquals(100, black);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(0, 1, 2, 0.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(8, 9, 8, 0.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(8, 8, 9, 1.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(8, 8, 9, 0.5, 1, 0, 0));
    }
}
