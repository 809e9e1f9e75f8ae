package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Determinism, splits, sizes and cost of the generator as a whole. */
class SyntheticScenesTest {

    private static void assertSameScene(Scene a, Scene b) {
        assertEquals(a.imageId(), b.imageId());
        assertEquals(a.split(), b.split());
        assertArrayEquals(a.image().rgb(), b.image().rgb(), "image bytes of " + a.imageId());
        assertArrayEquals(a.mask().labels(), b.mask().labels(), "mask bytes of " + a.imageId());
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.points(), b.points());
    }

    @Test
    void sameSeedAndIndexGiveIdenticalScenesAcrossInstances() {
        SyntheticSpec spec = new SyntheticSpec(20, 96, 123L, 0.3, 4);
        for (int i = 0; i < 5; i++) {
            assertSameScene(new SyntheticScenes(spec).render(i), new SyntheticScenes(spec).render(i));
        }
    }

    @Test
    void differentSeedOrIndexGivesDifferentImages() {
        Scene a = new SyntheticScenes(new SyntheticSpec(20, 96, 1L, 0.3, 4)).render(3);
        Scene b = new SyntheticScenes(new SyntheticSpec(20, 96, 2L, 0.3, 4)).render(3);
        Scene c = new SyntheticScenes(new SyntheticSpec(20, 96, 1L, 0.3, 4)).render(4);
        assertFalse(java.util.Arrays.equals(a.image().rgb(), b.image().rgb()));
        assertFalse(java.util.Arrays.equals(a.image().rgb(), c.image().rgb()));
        assertEquals("syn_000003", a.imageId());
    }

    @Test
    void renderingOrderDoesNotMatter() {
        SyntheticSpec spec = new SyntheticSpec(12, 64, 99L, 0.5, 3);
        SyntheticScenes forward = new SyntheticScenes(spec);
        SyntheticScenes backward = new SyntheticScenes(spec);
        Scene[] first = new Scene[12];
        for (int i = 0; i < 12; i++) {
            first[i] = forward.render(i);
        }
        for (int i = 11; i >= 0; i--) {
            backward.render((i * 7) % 12);
            assertSameScene(first[i], backward.render(i));
        }
    }

    @Test
    void valShareMatchesFractionAndSplitIsStable() {
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(1000, 64, 5L, 0.2, 3));
        int val = 0;
        for (int i = 0; i < 1000; i++) {
            String s = scenes.split(i);
            assertTrue(s.equals("train") || s.equals("val"), s);
            assertEquals(s, scenes.split(i));
            if (s.equals("val")) {
                val++;
            }
        }
        // binomial(1000, 0.2): standard deviation 12.6, so +-40 is more than 3 sigma
        assertTrue(val >= 160 && val <= 240, "val count " + val);
        assertEquals(scenes.split(17), scenes.render(17).split());

        SyntheticScenes allTrain = new SyntheticScenes(new SyntheticSpec(200, 64, 5L, 0.0, 3));
        SyntheticScenes allVal = new SyntheticScenes(new SyntheticSpec(200, 64, 5L, 1.0, 3));
        for (int i = 0; i < 200; i++) {
            assertEquals("train", allTrain.split(i));
            assertEquals("val", allVal.split(i));
        }
    }

    @Test
    void imageAndMaskHaveTheConfiguredSize() {
        for (int size : new int[] {32, 64, 97, 200}) {
            Scene s = new SyntheticScenes(new SyntheticSpec(3, size, 11L, 0.2, 3)).render(2);
            assertEquals(size, s.image().width());
            assertEquals(size, s.image().height());
            assertEquals(size * size * 3, s.image().rgb().length);
            assertEquals(size, s.mask().width());
            assertEquals(size, s.mask().height());
            assertFalse(s.points().isEmpty(), "size " + size + " scene has no visible instance");
        }
    }

    @Test
    void indexOutsideCountIsRejectedWithTheRange() {
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(10, 64, 1L, 0.2, 3));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> scenes.render(10));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("[0, 10)"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> scenes.split(-1));
    }

    @Test
    void classNamesAreFewShortDistinctLowercaseNames() {
        List<String> names = new SyntheticScenes(new SyntheticSpec(1, 64, 1L, 0.2, 3)).classNames();
        assertEquals(6, names.size(), names.toString());
        assertEquals(names.size(), new HashSet<>(names).size());
        for (String n : names) {
            assertTrue(n.matches("[a-z]{2,12}") && !n.equals("background"), n);
        }
    }

    @Test
    void theHardPresetHasItsOwnTenToTwelveClassNames() {
        List<String> names = new SyntheticScenes(new SyntheticSpec(1, 64, 1L, 0.2, 3, SyntheticPreset.HARD))
                .classNames();
        assertTrue(names.size() >= 10 && names.size() <= 12, names.toString());
        assertEquals(names.size(), new HashSet<>(names).size());
        for (String n : names) {
            assertTrue(n.matches("[a-z][a-z_]{1,15}") && !n.equals("background"), n);
        }
        // a manifest of one preset must not read as the other's
        assertTrue(Collections.disjoint(names, SyntheticPreset.SHAPES.classNames()), names.toString());
    }
}
