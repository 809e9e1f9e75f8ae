package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SuperpixelsTest {

    /** Nine clearly different colours (RGB, 0..1). */
    private static final float[][] COLOURS = {
            {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {0, 1, 1}, {1, 0, 1}, {0, 0, 0}, {1, 1, 1}, {0.5f, 0.5f, 0.5f}};

    /** A 3x3 mosaic of side x side blocks of the nine colours, plus a little noise, as 3 planes. */
    private static float[] mosaic(int side, double noise, long seed) {
        Random r = new Random(seed);
        int w = 3 * side;
        int n = w * w;
        float[] planes = new float[3 * n];
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < w; x++) {
                float[] c = COLOURS[(y / side) * 3 + x / side];
                for (int ch = 0; ch < 3; ch++) {
                    planes[ch * n + y * w + x] = (float) (c[ch] + noise * r.nextGaussian());
                }
            }
        }
        return planes;
    }

    @Test
    void nineSuperpixelsOnANineBlockMosaicAreItsBlocks() {
        // centres start at the blocks' centres; colour differences of the mosaic are whole standard deviations
        // while a block's farthest pixel costs compactness^2 (7 / 10)^2 = 0.12: each block is exactly one region,
        // numbered in raster order of its first pixel (block order)
        for (long seed = 0; seed < 5; seed++) {
            int side = 10;
            int[] region = Superpixels.slic(mosaic(side, 0.02, seed), 0, 3, 3 * side, 3 * side,
                    new Superpixels.Params(9, 0.5, 10));
            for (int y = 0; y < 3 * side; y++) {
                for (int x = 0; x < 3 * side; x++) {
                    assertEquals((y / side) * 3 + x / side, region[y * 3 * side + x], "pixel " + x + "," + y);
                }
            }
        }
    }

    @Test
    void regionsAreConnectedNumberedInRasterOrderAndNotTooSmall() {
        Random r = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int h = 20 + r.nextInt(40);
            int w = 20 + r.nextInt(40);
            int count = 1 + r.nextInt(40);
            float[] planes = new float[3 * h * w];
            for (int i = 0; i < planes.length; i++) {
                planes[i] = r.nextFloat();
            }
            // noise: the worst case for connectivity (k-means of noise leaves scattered pieces)
            int[] region = Superpixels.slic(planes, 0, 3, h, w, new Superpixels.Params(count, 0.1 + r.nextDouble(), 10));
            int regions = assertConnectedAndRasterNumbered(region, h, w);
            assertTrue(regions <= 4 * count + 4, regions + " regions from " + count + " superpixels");
        }
    }

    @Test
    void aFlatImageSplitsByPositionAlone() {
        // no colour at all: SLIC is k-means of positions from a 4x4 grid, so 16 regions of about 1/16 of the image
        int h = 40;
        int w = 40;
        int[] region = Superpixels.slic(new float[3 * h * w], 0, 3, h, w, new Superpixels.Params(16, 0.5, 10));
        int regions = assertConnectedAndRasterNumbered(region, h, w);
        assertEquals(16, regions);
        int[] size = new int[regions];
        for (int v : region) {
            size[v]++;
        }
        for (int s : size) {
            assertTrue(s >= 50 && s <= 150, "region of " + s + " pixels, expected about 100");
        }
    }

    @Test
    void imagesAreReadFromTheirOffsetInABatch() {
        float[] one = mosaic(6, 0.02, 1);
        float[] batch = new float[2 * one.length];
        System.arraycopy(one, 0, batch, one.length, one.length);
        Superpixels.Params p = new Superpixels.Params(9, 0.5, 10);
        assertArrayEquals(Superpixels.slic(one, 0, 3, 18, 18, p), Superpixels.slic(batch, one.length, 3, 18, 18, p));
    }

    @Test
    void connectedSplitsPiecesAndMergesSmallOnesByHand() {
        // label 1 in two pieces (left column, right column) becomes two regions; with a minimum size of 2 each
        // one-pixel piece (the two 0s, the 2) joins the region to its left
        int[] labels = {
                1, 0, 1,
                1, 2, 1,
                1, 0, 1};
        assertArrayEquals(new int[]{
                0, 1, 2,
                0, 3, 2,
                0, 4, 2}, Superpixels.connected(labels, 3, 3, 1));
        assertArrayEquals(new int[]{
                0, 0, 1,
                0, 0, 1,
                0, 0, 1}, Superpixels.connected(labels, 3, 3, 2));
    }

    @Test
    void badSettingsNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Superpixels.Params(64, 0.5, 10));
        assertEquals("segsort.superpixels must be in 1..63, got 64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Superpixels.Params(9, 0, 10));
        assertEquals("segsort.superpixel-compactness must be a finite number > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Superpixels.slic(new float[10], 0, 3, 2, 2, Superpixels.Params.DEFAULTS));
        assertEquals("superpixels: 3 planes of 2x2 from 0 do not fit 10 values", e.getMessage());
    }

    /** Every region is one 4-connected piece; ids run 0..n-1 in raster order of first pixels. Returns n. */
    private static int assertConnectedAndRasterNumbered(int[] region, int h, int w) {
        int next = 0;
        boolean[] seen = new boolean[region.length];
        for (int p = 0; p < region.length; p++) {
            if (region[p] == next) {
                next++;
            } else {
                assertTrue(region[p] >= 0 && region[p] < next, "region " + region[p] + " at " + p + " out of order");
            }
        }
        // flood each region from its first pixel: it must reach every pixel of the region
        int[] reached = new int[next];
        int[] total = new int[next];
        for (int v : region) {
            total[v]++;
        }
        for (int p = 0; p < region.length; p++) {
            if (seen[p]) {
                continue;
            }
            int id = region[p];
            assertEquals(0, reached[id], "region " + id + " has a second piece at " + p);
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(p);
            seen[p] = true;
            while (!queue.isEmpty()) {
                int q = queue.poll();
                reached[id]++;
                int y = q / w;
                int x = q % w;
                int[] nbs = {x > 0 ? q - 1 : -1, x < w - 1 ? q + 1 : -1, y > 0 ? q - w : -1, y < h - 1 ? q + w : -1};
                for (int nb : nbs) {
                    if (nb >= 0 && !seen[nb] && region[nb] == id) {
                        seen[nb] = true;
                        queue.add(nb);
                    }
                }
            }
            assertEquals(total[id], reached[id], "region " + id + " is not connected");
        }
        return next;
    }
}
