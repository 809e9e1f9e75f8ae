package org.wsss.seg;

import org.junit.jupiter.api.Test;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PointSamplerTest {

    /** 20x10: background, a 6x6 square of class 2 at (2..7, 2..7), two separate 3x3 blocks of class 1, a 255 band. */
    private static LabelMask scene() {
        int w = 20, h = 10;
        byte[] l = new byte[w * h];
        for (int y = 2; y < 8; y++) {
            for (int x = 2; x < 8; x++) {
                l[y * w + x] = 2;
            }
        }
        for (int y = 1; y < 4; y++) {
            for (int x = 11; x < 14; x++) {
                l[y * w + x] = 1;
                l[(y + 5) * w + x] = 1;
            }
        }
        for (int y = 0; y < h; y++) {
            l[y * w + 18] = (byte) 255;
        }
        return new LabelMask(w, h, l);
    }

    @Test
    void onePointPerConnectedRegionOfEveryClassIncludingBackground() {
        LabelMask m = scene();
        List<Point> pts = PointSampler.sample(m, 1, 3);
        // regions: background left of the band, background column 19 right of it, the square, two class-1 blocks
        assertEquals(5, pts.size(), pts.toString());
        assertEquals(2, pts.stream().filter(p -> p.classIndex() == 0).count());
        assertEquals(2, pts.stream().filter(p -> p.classIndex() == 1).count());
        assertEquals(1, pts.stream().filter(p -> p.classIndex() == 2).count());
        for (Point p : pts) {
            assertEquals(p.classIndex(), m.get(p.x(), p.y()), "point on its own class: " + p);
        }
        assertTrue(pts.stream().filter(p -> p.classIndex() == 1).anyMatch(p -> p.y() < 4)
                && pts.stream().filter(p -> p.classIndex() == 1).anyMatch(p -> p.y() > 5), "one per block");
    }

    @Test
    void pointsLieWellInsideTheRegion() {
        LabelMask m = scene();
        for (long seed = 0; seed < 20; seed++) {
            Point sq = PointSampler.sample(m, 1, seed).stream().filter(p -> p.classIndex() == 2).findFirst()
                    .orElseThrow();
            // the 6x6 square's deepest pixels are 3 from its edge; half of that keeps the outer ring out
            assertTrue(sq.x() >= 3 && sq.x() <= 6 && sq.y() >= 3 && sq.y() <= 6, "seed " + seed + ": " + sq);
        }
    }

    @Test
    void smallRegionsAreSkippedAndSeedsAreReproducible() {
        LabelMask m = scene();
        List<Point> big = PointSampler.sample(m, 10, 5);
        // the 3x3 blocks (9 pixels) and the 10-pixel background column 19 vs the large background
        assertEquals(3, big.size(), big.toString());
        assertTrue(big.stream().noneMatch(p -> p.classIndex() == 1));
        // the seed alone decides: a copy of the mask gives the same points, and other seeds pick other pixels
        LabelMask copy = new LabelMask(m.width(), m.height(), m.labels().clone());
        assertEquals(PointSampler.sample(m, 1, 9), PointSampler.sample(copy, 1, 9));
        java.util.Set<List<Point>> bySeed = new java.util.HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            bySeed.add(PointSampler.sample(m, 1, seed));
        }
        assertTrue(bySeed.size() > 1, "ten seeds gave the same points: " + bySeed);
    }

    @Test
    void depthIsTheCityBlockDistanceToTheEdge() {
        byte[] l = new byte[5 * 5];
        int[] d = PointSampler.depthToEdge(l, 5, 5);
        assertArrayEquals(new int[]{1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 3, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1}, d);
    }
}
