package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void resizedCropShowsAWindowOfAtLeastTheMinimumAreaWithABoundedAspectRatio() {
        // every pixel names its own position (red = x, green = y), so the output's value ranges give the window
        int w = 120;
        int h = 90;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) x;
                rgb[(y * w + x) * 3 + 1] = (byte) y;
            }
        }
        RgbImage img = new RgbImage(w, h, rgb);
        Augmenter aug = new Augmenter(new Augmenter.Settings(32, 32, 32, 0, 0, 0, 0).withResizedCrop(0.4), 17);
        double smallest = 1;
        for (int i = 0; i < 40; i++) {
            RgbImage out = aug.apply(img);
            assertEquals(32, out.width());
            assertEquals(32, out.height());
            int x0 = 255, x1 = 0, y0 = 255, y1 = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    x0 = Math.min(x0, out.r(x, y));
                    x1 = Math.max(x1, out.r(x, y));
                    y0 = Math.min(y0, out.g(x, y));
                    y1 = Math.max(y1, out.g(x, y));
                }
            }
            // sample centres lose up to one source pixel at each edge of the window
            double cw = x1 - x0 + 2;
            double ch = y1 - y0 + 2;
            assertTrue(cw * ch >= 0.4 * w * h * 0.9, "window " + cw + " x " + ch + " under 40% of the image");
            assertTrue(cw / ch > 0.75 * 0.85 && cw / ch < 4.0 / 3 / 0.85, "aspect " + cw / ch);
            smallest = Math.min(smallest, cw * ch / (w * h));
        }
        assertTrue(smallest < 0.8, "40 windows should not all cover most of the image: smallest " + smallest);
    }

    @Test
    void resizedCropOfTheWholeAreaOfASquareImageIsTheResizedImage() {
        RgbImage img = noise(50, 50, 4);
        Augmenter aug = new Augmenter(new Augmenter.Settings(20, 20, 20, 0, 0, 0, 0).withResizedCrop(1.0), 2);
        assertArrayEquals(ImageTensors.resize(img, 20, 20).rgb(), aug.apply(img).rgb());
        assertThrows(IllegalArgumentException.class,
                () -> new Augmenter.Settings(8, 8, 9, 0.5, 0, 0, 0).withResizedCrop(1.5));
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(0, 1, 2, 0.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(8, 9, 8, 0.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(8, 8, 9, 1.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmenter.Settings(8, 8, 9, 0.5, 1, 0, 0));
    }
}
