package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ingest.max-long-side: the image, its mask and its points brought to one smaller size. */
class IngestDownscaleTest {

    @Test
    void theLongSideBecomesTheBoundAndTheAspectRatioIsKept() {
        assertArrayEquals(new int[] {1000, 750}, IngestDownscale.targetSize(4000, 3000, 1000));
        assertArrayEquals(new int[] {333, 1000}, IngestDownscale.targetSize(1000, 3000, 1000));
        assertArrayEquals(new int[] {1000, 1}, IngestDownscale.targetSize(26000, 2, 1000));
        ImageLimits limits = new ImageLimits(Long.MAX_VALUE, 1000);
        assertTrue(limits.downscales(1001, 10));
        assertFalse(limits.downscales(1000, 1000));
        assertFalse(ImageLimits.NONE.downscales(100_000, 100_000));
    }

    @Test
    void eachOutputPixelIsTheRoundedMeanOfItsCell() {
        // 4x2 -> 2x1: cells are 2x2 blocks
        byte[] rgb = new byte[4 * 2 * 3];
        int[] red = {0, 10, 20, 30, 1, 11, 21, 31};
        for (int p = 0; p < 8; p++) {
            rgb[p * 3] = (byte) red[p];
            rgb[p * 3 + 1] = (byte) 255;
            rgb[p * 3 + 2] = (byte) (p == 0 ? 3 : 0);
        }
        RgbImage out = IngestDownscale.areaAverage(new RgbImage(4, 2, rgb), 2, 1);
        assertEquals(6, out.r(0, 0)); // (0+10+1+11)/4 = 5.5
        assertEquals(26, out.r(1, 0)); // (20+30+21+31)/4 = 25.5
        assertEquals(255, out.g(1, 0));
        assertEquals(1, out.b(0, 0)); // 3/4 = 0.75
    }

    @Test
    void maskIsNearestNeighbourAndPointsLandOnTheirCell() {
        // 4x4 mask, left half 1, right half 2, one 255 pixel at (3,3); halved it keeps only the labels it had
        byte[] labels = new byte[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = (byte) (i % 4 < 2 ? 1 : 2);
        }
        labels[15] = (byte) 255;
        LabelMask small = IngestDownscale.mask(new LabelMask(4, 4, labels), 2, 2);
        assertArrayEquals(new byte[] {1, 2, 1, (byte) 255}, small.labels());
        assertEquals(List.of(new Point(0, 0, 1), new Point(1, 1, 2), new Point(1, 0, 0)),
                IngestDownscale.points(List.of(new Point(1, 1, 1), new Point(3, 3, 2), new Point(2, 0, 0)), 4, 4, 2,
                        2));
    }
}
