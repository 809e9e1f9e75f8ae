package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;

/** Properties of masks, labels and points over a few hundred scenes, checked by brute force in the test. */
class SyntheticGroundTruthTest {
    private static final int COUNT = 200;
    private static final int SIZE = 96;
    private static final int MAX_OBJECTS = 4;
    private static final int IGNORE = LabelMask.IGNORE;
    private static final List<Scene> SCENES = new ArrayList<>();

    @BeforeAll
    static void render() {
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(COUNT, SIZE, 2024L, 0.2, MAX_OBJECTS));
        for (int i = 0; i < COUNT; i++) {
            SCENES.add(scenes.render(i));
        }
    }

    @Test
    void labelsAreTheSortedDistinctClassValuesOfTheMask() {
        int classes = SyntheticPreset.SHAPES.classNames().size();
        for (Scene s : SCENES) {
            TreeSet<Integer> present = new TreeSet<>();
            for (byte b : s.mask().labels()) {
                int v = b & 0xff;
                assertTrue(v <= classes || v == IGNORE, "mask value " + v + " in " + s.imageId());
                if (v != 0 && v != IGNORE) {
                    present.add(v);
                }
            }
            assertArrayEquals(present.stream().mapToInt(Integer::intValue).toArray(), s.labels(), s.imageId());
            assertTrue(s.labels().length >= 1, s.imageId() + " has no labelled object");
        }
    }

    @Test
    void onePointPerInstanceOnItsOwnUnignoredClassPixels() {
        int deepPoints = 0;
        int allPoints = 0;
        for (Scene s : SCENES) {
            LabelMask m = s.mask();
            Set<Integer> pointClasses = new HashSet<>();
            Set<Integer> componentsHit = new HashSet<>();
            int[] component = components(m);
            for (Point p : s.points()) {
                assertTrue(p.x() >= 0 && p.y() >= 0 && p.x() < SIZE && p.y() < SIZE, p + " in " + s.imageId());
                assertEquals(p.classIndex(), m.get(p.x(), p.y()), p + " in " + s.imageId());
                pointClasses.add(p.classIndex());
                // distinct instances are always split by the ignore band, so two points in one region
                // would be two points on one instance
                assertTrue(componentsHit.add(component[p.y() * SIZE + p.x()]),
                        "two points in one region in " + s.imageId() + ": " + s.points());
                allPoints++;
                if (2 * ignoreFreeRadius(m, p.x(), p.y()) >= deepestInRegion(m, component, p)) {
                    deepPoints++;
                }
            }
            Set<Integer> labels = new HashSet<>();
            for (int l : s.labels()) {
                labels.add(l);
            }
            assertEquals(labels, pointClasses, s.imageId());
            assertTrue(s.points().size() >= 1 && s.points().size() <= MAX_OBJECTS,
                    s.points().size() + " instances in " + s.imageId());
        }
        // a point sits at least half as deep inside its region as the region's deepest pixel
        assertTrue(deepPoints >= 0.95 * allPoints, deepPoints + " of " + allPoints + " points deep inside");
    }

    @Test
    void differentLabelsNeverTouchWithoutAnIgnoreBandBetween() {
        for (Scene s : SCENES) {
            LabelMask m = s.mask();
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int v = m.get(x, y);
                    if (v == IGNORE) {
                        continue;
                    }
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            if (xx >= 0 && yy >= 0 && xx < SIZE && yy < SIZE && m.get(xx, yy) != IGNORE) {
                                assertEquals(v, m.get(xx, yy), "labels meet at (" + x + "," + y + ") in "
                                        + s.imageId());
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void ignoreBandIsThinAndRunsAlongBoundaries() {
        long band = 0;
        long bandNearTwoLabels = 0;
        long bandNearAnyLabel = 0;
        int scenesWithTouchingClasses = 0;
        for (Scene s : SCENES) {
            LabelMask m = s.mask();
            int sceneBand = 0;
            boolean touching = false;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    if (m.get(x, y) != IGNORE) {
                        continue;
                    }
                    sceneBand++;
                    Set<Integer> near = labelsWithin(m, x, y, 2);
                    if (!near.isEmpty()) {
                        bandNearAnyLabel++;
                    }
                    if (near.size() >= 2) {
                        bandNearTwoLabels++;
                    }
                    near.remove(0);
                    touching |= near.size() >= 2;
                }
            }
            assertTrue(sceneBand > 0, s.imageId() + " has no ignore band");
            assertTrue(sceneBand < 0.25 * SIZE * SIZE, sceneBand + " ignore pixels in " + s.imageId());
            band += sceneBand;
            if (touching) {
                scenesWithTouchingClasses++;
            }
        }
        System.out.printf("ignore band: %d px, %.3f within 2 px of a label, %.3f between two labels%n", band,
                (double) bandNearAnyLabel / band, (double) bandNearTwoLabels / band);
        // the band is about two pixels wide: only thin parts (star tips, narrow slivers) are wider
        assertTrue(bandNearAnyLabel >= 0.99 * band, bandNearAnyLabel + " of " + band);
        // and it separates two labelled regions, except at tips too thin to keep an unignored core
        assertTrue(bandNearTwoLabels >= 0.85 * band, bandNearTwoLabels + " of " + band);
        assertTrue(scenesWithTouchingClasses >= 10, scenesWithTouchingClasses
                + " scenes with two different classes touching");
    }

    @Test
    void everyClassAppearsAndObjectCountsSpanTheRange() {
        int classes = SyntheticPreset.SHAPES.classNames().size();
        int[] images = new int[classes + 1];
        int[] byCount = new int[MAX_OBJECTS + 1];
        for (Scene s : SCENES) {
            for (int l : s.labels()) {
                images[l]++;
            }
            byCount[s.points().size()]++;
        }
        for (int c = 1; c <= classes; c++) {
            assertTrue(images[c] >= 15, "class " + c + " in only " + images[c] + " of " + COUNT + " images");
        }
        assertTrue(byCount[1] > 0 && byCount[MAX_OBJECTS] > 0, java.util.Arrays.toString(byCount));
    }

    @Test
    void singleObjectScenesHaveOneObjectOfFifteenToFiftyPercentOfTheSide() {
        int side = 128;
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(100, side, 77L, 0.2, 1));
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (int i = 0; i < 100; i++) {
            Scene s = scenes.render(i);
            assertEquals(1, s.points().size(), s.imageId());
            assertEquals(1, s.labels().length, s.imageId());
            int minX = side;
            int maxX = -1;
            int minY = side;
            int maxY = -1;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    if (s.mask().get(x, y) != 0) {
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            int extent = Math.max(maxX - minX + 1, maxY - minY + 1);
            // the narrowest outline (a square seen edge-on) spans 0.7 of its diameter; the band adds 2 px
            assertTrue(extent >= 0.7 * 0.15 * side && extent <= 0.5 * side + 4, extent + " px in " + s.imageId());
            smallest = Math.min(smallest, extent);
            largest = Math.max(largest, extent);
        }
        assertTrue(smallest < 0.25 * side && largest > 0.4 * side, smallest + ".." + largest);
    }

    @Test
    void objectsHaveTheirClassColourButTheBackgroundCarriesEveryHue() {
        // per (scene, class): mean hue of the class's unignored pixels; then the best hue-bin -> class rule
        Map<Integer, int[]> binCounts = new HashMap<>();
        int classes = SyntheticPreset.SHAPES.classNames().size();
        int samples = 0;
        boolean[] backgroundBins = new boolean[36];
        for (Scene s : SCENES) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int r = s.image().r(x, y), g = s.image().g(x, y), b = s.image().b(x, y);
                    if (s.mask().get(x, y) == 0 && Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) {
                        backgroundBins[(int) (hue(r, g, b) / 10) % 36] = true;
                    }
                }
            }
            for (int c : s.labels()) {
                double sx = 0;
                double sy = 0;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        if (s.mask().get(x, y) == c) {
                            double h = Math.toRadians(hue(s.image().r(x, y), s.image().g(x, y), s.image().b(x, y)));
                            sx += Math.cos(h);
                            sy += Math.sin(h);
                        }
                    }
                }
                double deg = (Math.toDegrees(Math.atan2(sy, sx)) + 360) % 360;
                binCounts.computeIfAbsent((int) (deg / 10), k -> new int[classes + 1])[c]++;
                samples++;
            }
        }
        int bestRuleCorrect = 0;
        for (int[] counts : binCounts.values()) {
            int max = 0;
            for (int v : counts) {
                max = Math.max(max, v);
            }
            bestRuleCorrect += max;
        }
        double accuracy = (double) bestRuleCorrect / samples;
        assertTrue(accuracy > 0.8, "an object's hue tells its class: " + accuracy);
        int covered = 0;
        for (boolean b : backgroundBins) {
            covered += b ? 1 : 0;
        }
        assertTrue(covered >= 33, "saturated background pixels cover only " + covered + " of 36 hue bins");
        assertNotEquals(0, samples);
    }

    private static double hue(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        if (max == min) {
            return 0;
        }
        double d = max - min;
        double h;
        if (max == r) {
            h = ((g - b) / d) % 6;
        } else if (max == g) {
            h = (b - r) / d + 2;
        } else {
            h = (r - g) / d + 4;
        }
        return (h * 60 + 360) % 360;
    }

    /** 8-connected regions of equal unignored values; ignore pixels get -1. */
    private static int[] components(LabelMask m) {
        int n = m.width();
        int[] comp = new int[n * n];
        java.util.Arrays.fill(comp, -2);
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < n * n; start++) {
            int v = m.labels()[start] & 0xff;
            if (comp[start] != -2) {
                continue;
            }
            if (v == IGNORE) {
                comp[start] = -1;
                continue;
            }
            comp[start] = next;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = p % n + dx;
                        int y = p / n + dy;
                        if (x >= 0 && y >= 0 && x < n && y < n && comp[y * n + x] == -2 && m.get(x, y) == v) {
                            comp[y * n + x] = next;
                            queue.add(y * n + x);
                        }
                    }
                }
            }
            next++;
        }
        return comp;
    }

    /** Brute force: the largest {@link #ignoreFreeRadius} over the pixels of p's region. */
    private static int deepestInRegion(LabelMask m, int[] component, Point p) {
        int n = m.width();
        int region = component[p.y() * n + p.x()];
        int best = 0;
        for (int q = 0; q < n * n; q++) {
            if (component[q] == region) {
                best = Math.max(best, ignoreFreeRadius(m, q % n, q / n));
            }
        }
        return best;
    }

    /** Largest r such that the (2r+1)-square around (x, y) holds no ignore pixel. */
    private static int ignoreFreeRadius(LabelMask m, int x, int y) {
        int r = 0;
        while (r < m.width()) {
            int next = r + 1;
            for (int dy = -next; dy <= next; dy++) {
                for (int dx = -next; dx <= next; dx++) {
                    int xx = x + dx;
                    int yy = y + dy;
                    if (xx >= 0 && yy >= 0 && xx < m.width() && yy < m.height() && m.get(xx, yy) == IGNORE) {
                        return r;
                    }
                }
            }
            r = next;
        }
        return r;
    }

    private static Set<Integer> labelsWithin(LabelMask m, int x, int y, int r) {
        Set<Integer> out = new HashSet<>();
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < m.width() && yy < m.height() && m.get(xx, yy) != IGNORE) {
                    out.add(m.get(xx, yy));
                }
            }
        }
        return out;
    }
}
