package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss.config.ConfigLoader;
import org.wsss.data.DatasetReader;
import org.wsss.data.DatasetReaders;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;
import org.wsss.data.SyntheticReader;

/** The hard preset's declared properties, each checked by counting over rendered scenes. */
class HardPresetTest {
    private static final int COUNT = 2000;
    private static final int SIZE = 64;
    private static final int MAX_OBJECTS = 3;
    private static final SyntheticSpec SPEC = new SyntheticSpec(COUNT, SIZE, 31L, 0.2, MAX_OBJECTS,
            SyntheticPreset.HARD);
    /**
     * Frequency rank of each class in index order, as README and the issue state it: the first of each
     * look-alike pair is common (ranks 1-5), the second rarer (ranks 6-10); share of rank k is k^-0.7 / sum.
     */
    private static final int[] RANK = {1, 6, 2, 7, 3, 8, 4, 9, 5, 10};
    private static final List<Scene> SCENES = new ArrayList<>();

    @BeforeAll
    static void render() {
        SyntheticScenes scenes = new SyntheticScenes(SPEC);
        for (int i = 0; i < COUNT; i++) {
            SCENES.add(scenes.render(i));
        }
    }

    @Test
    void everyClassAppearsAndEverySceneHasOneToThreeLabelledObjects() {
        int classes = SPEC.preset().classNames().size();
        assertEquals(RANK.length, classes);
        int[] images = new int[classes + 1];
        int[] byCount = new int[MAX_OBJECTS + 1];
        for (Scene s : SCENES.subList(0, 300)) {
            assertTrue(s.points().size() >= 1 && s.points().size() <= MAX_OBJECTS, s.imageId() + ": " + s.points());
            byCount[s.points().size()]++;
            for (int l : s.labels()) {
                images[l]++;
            }
        }
        for (int c = 1; c <= classes; c++) {
            assertTrue(images[c] > 0, "class " + c + " never appears in 300 scenes: " + Arrays.toString(images));
        }
        for (int k = 1; k <= MAX_OBJECTS; k++) {
            assertTrue(byCount[k] > 30, k + " objects in " + byCount[k] + " of 300 scenes");
        }
    }

    @Test
    void classFrequenciesFollowTheDeclaredZipfLaw() {
        double[] expected = new double[RANK.length + 1];
        double sum = 0;
        for (int c = 1; c <= RANK.length; c++) {
            expected[c] = Math.pow(RANK[c - 1], -0.7);
            sum += expected[c];
        }
        int[] instances = new int[RANK.length + 1];
        int total = 0;
        for (Scene s : SCENES) {
            for (Point p : s.points()) {
                instances[p.classIndex()]++;
                total++;
            }
        }
        int most = Arrays.stream(instances, 1, instances.length).max().orElseThrow();
        int rarest = Arrays.stream(instances, 1, instances.length).min().orElseThrow();
        for (int c = 1; c <= RANK.length; c++) {
            double share = (double) instances[c] / total;
            // about 4,000 instances: one standard deviation of a share is at most 0.007
            assertEquals(expected[c] / sum, share, 0.02, "share of class " + c + ": " + Arrays.toString(instances));
        }
        double ratio = (double) most / rarest;
        assertTrue(ratio >= 4 && ratio <= 6.5, "most / rarest = " + ratio + ": " + Arrays.toString(instances));
        assertEquals(instances[1], most, "class 1 is the most frequent: " + Arrays.toString(instances));
    }

    @Test
    void theTwoClassesOfAPairCoverTheSamePixelsAtTheSamePoseButLookDifferent() {
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(1, 96, 1L, 0.2, 1, SyntheticPreset.HARD));
        double[][] poses = {{48, 48, 30, 0.0}, {40.3, 55.7, 17.2, 1.1}, {60, 35, 24.5, 2.9}, {30, 30, 11, 4.0}};
        for (int pair = 0; pair < 5; pair++) {
            int a = 2 * pair + 1;
            int b = 2 * pair + 2;
            for (double[] p : poses) {
                long seed = 100 + pair;
                Scene sa = scenes.renderPosed(a, p[0], p[1], p[2], p[3], seed);
                Scene sb = scenes.renderPosed(b, p[0], p[1], p[2], p[3], seed);
                assertArrayEquals(new int[] {a}, sa.labels());
                assertArrayEquals(new int[] {b}, sb.labels());
                assertArrayEquals(foreground(sa.mask()), foreground(sb.mask()),
                        "classes " + a + " and " + b + " at pose " + Arrays.toString(p));
                assertTrue(differingPixels(sa, sb) > 0.1 * count(foreground(sa.mask())),
                        "classes " + a + " and " + b + " look the same at pose " + Arrays.toString(p));
            }
        }
        // and the check can tell silhouettes apart: a disc and a square at one pose do not match
        Scene disc = scenes.renderPosed(1, 48, 48, 30, 0.3, 5L);
        Scene square = scenes.renderPosed(3, 48, 48, 30, 0.3, 5L);
        assertFalse(Arrays.equals(foreground(disc.mask()), foreground(square.mask())));
    }

    @Test
    void aSceneIsTheSameBytesInAnyRenderAndAnyOrder() {
        SyntheticScenes forward = new SyntheticScenes(SPEC);
        SyntheticScenes backward = new SyntheticScenes(SPEC);
        List<Scene> back = new ArrayList<>();
        for (int i = 24; i >= 0; i--) {
            back.add(0, backward.render(i));
        }
        for (int i = 0; i < 25; i++) {
            Scene f = forward.render(i);
            Scene g = back.get(i);
            assertArrayEquals(f.image().rgb(), g.image().rgb(), "image " + i);
            assertArrayEquals(f.mask().labels(), g.mask().labels(), "mask " + i);
            assertEquals(f.points(), g.points(), "points " + i);
            assertArrayEquals(SCENES.get(i).image().rgb(), f.image().rgb(), "image " + i + " of the shared render");
        }
        Scene shapes = new SyntheticScenes(new SyntheticSpec(COUNT, SIZE, 31L, 0.2, MAX_OBJECTS)).render(0);
        assertFalse(Arrays.equals(shapes.image().rgb(), SCENES.get(0).image().rgb()));
    }

    @Test
    void labelsAreTheMaskClassesAndEachPointLiesOnItsClass() {
        for (Scene s : SCENES.subList(0, 300)) {
            TreeSet<Integer> present = new TreeSet<>();
            for (byte v : s.mask().labels()) {
                int c = v & 0xff;
                assertTrue(c <= RANK.length || c == LabelMask.IGNORE, "mask value " + c + " in " + s.imageId());
                if (c != 0 && c != LabelMask.IGNORE) {
                    present.add(c);
                }
            }
            assertArrayEquals(present.stream().mapToInt(Integer::intValue).toArray(), s.labels(), s.imageId());
            TreeSet<Integer> pointed = new TreeSet<>();
            for (Point p : s.points()) {
                assertEquals(p.classIndex(), s.mask().get(p.x(), p.y()), p + " in " + s.imageId());
                pointed.add(p.classIndex());
            }
            assertEquals(present, pointed, s.imageId());
        }
    }

    @Test
    void thePresetSettingPicksTheGeneratorAndItsClasses() throws Exception {
        DatasetReader reader = DatasetReaders.create(ConfigLoader.load(List.of(),
                List.of("dataset.synthetic.preset=hard")), null);
        assertEquals(SyntheticPreset.HARD.classNames(), reader.classes().names());
        assertEquals(SyntheticPreset.HARD, DatasetReaders.syntheticSpec(ConfigLoader.load(List.of(),
                List.of("dataset.synthetic.preset=hard"))).preset());
        assertEquals(SyntheticPreset.SHAPES, DatasetReaders.syntheticSpec(ConfigLoader.load(List.of(),
                List.of())).preset());
        // switching presets redoes ingest; a shapes spec keeps its pre-preset fingerprint (the old record text)
        SyntheticSpec demo = new SyntheticSpec(400, 96, 7L, 0.2, 4);
        SyntheticSpec demoHard = new SyntheticSpec(400, 96, 7L, 0.2, 4, SyntheticPreset.HARD);
        assertEquals("synthetic:SyntheticSpec[count=400, size=96, seed=7, valFraction=0.2, maxObjects=4]",
                new SyntheticReader(demo).inputFiles(null, List.of("train")).get(0).path());
        assertFalse(new SyntheticReader(demo).inputFiles(null, List.of("train")).equals(
                new SyntheticReader(demoHard).inputFiles(null, List.of("train"))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.synthetic.preset=harder")));
        assertTrue(e.getMessage().contains("dataset.synthetic.preset") && e.getMessage().contains("harder"),
                e.getMessage());
    }

    private static boolean[] foreground(LabelMask m) {
        boolean[] f = new boolean[m.labels().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = m.labels()[i] != 0;
        }
        return f;
    }

    private static int count(boolean[] f) {
        int c = 0;
        for (boolean b : f) {
            c += b ? 1 : 0;
        }
        return c;
    }

    /** Pixels of the object whose colour differs by more than 24 levels in some channel. */
    private static int differingPixels(Scene a, Scene b) {
        boolean[] fg = foreground(a.mask());
        int n = a.image().width();
        int d = 0;
        for (int p = 0; p < fg.length; p++) {
            int x = p % n;
            int y = p / n;
            if (fg[p] && (Math.abs(a.image().r(x, y) - b.image().r(x, y)) > 24
                    || Math.abs(a.image().g(x, y) - b.image().g(x, y)) > 24
                    || Math.abs(a.image().b(x, y) - b.image().b(x, y)) > 24)) {
                d++;
            }
        }
        return d;
    }
}
