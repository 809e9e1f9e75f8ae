package org.wsss.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class EpochPlanTest {

    /** 60 images of class 1 only, 20 of class 2 only, 10 with both 1 and 3. Class counts: 1 -> 70, 2 -> 20, 3 -> 10. */
    static List<EpochPlan.Item> items() {
        List<EpochPlan.Item> items = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            items.add(new EpochPlan.Item("a" + i, new int[]{1}));
        }
        for (int i = 0; i < 20; i++) {
            items.add(new EpochPlan.Item("b" + i, new int[]{2}));
        }
        for (int i = 0; i < 10; i++) {
            items.add(new EpochPlan.Item("c" + i, new int[]{1, 3}));
        }
        return items;
    }

    @Test
    void countsAndMedian() {
        Map<Integer, Integer> n = EpochPlan.classCounts(items(), Set.of());
        assertEquals(Map.of(1, 70, 2, 20, 3, 10), n);
        assertEquals(20, EpochPlan.medianCount(n));
        assertEquals(Map.of(2, 20, 3, 10), EpochPlan.classCounts(items(), Set.of(1)));
    }

    @Test
    void noBalancingVisitsEveryImageOnceInGivenOrderWithoutShuffle() {
        List<String> order = EpochPlan.order(items(), EpochPlan.Balance.NONE, 0, Set.of(), 1, 0, false);
        assertEquals(items().stream().map(EpochPlan.Item::imageId).toList(), order);
    }

    @Test
    void shuffleIsAPermutationThatChangesWithTheEpoch() {
        List<String> e0 = EpochPlan.order(items(), EpochPlan.Balance.NONE, 0, Set.of(), 1, 0, true);
        List<String> e1 = EpochPlan.order(items(), EpochPlan.Balance.NONE, 0, Set.of(), 1, 1, true);
        List<String> sorted0 = new ArrayList<>(e0), sorted1 = new ArrayList<>(e1);
        Collections.sort(sorted0);
        Collections.sort(sorted1);
        assertEquals(sorted0, sorted1);
        assertNotEquals(e0, e1);
        assertEquals(e0, EpochPlan.order(items(), EpochPlan.Balance.NONE, 0, Set.of(), 1, 0, true), "seeded");
    }

    @Test
    void downsamplingKeepsTargetOverCountOfTheRarestClass() {
        // target = median 20: class-1-only images (rarest 70) kept with p = 20/70; class 2 (20) and the
        // {1,3} images (rarest 10 -> 2.0, capped at 1) always kept. Expected size 60*2/7 + 20 + 10 = 47.1
        double total = 0;
        int runs = 200;
        for (int e = 0; e < runs; e++) {
            List<String> o = EpochPlan.order(items(), EpochPlan.Balance.DOWN, 0, Set.of(), 3, e, false);
            assertEquals(20, o.stream().filter(s -> s.startsWith("b")).count());
            assertEquals(10, o.stream().filter(s -> s.startsWith("c")).count());
            total += o.size();
        }
        assertEquals(60 * 2.0 / 7 + 30, total / runs, 1.0);
    }

    @Test
    void upsamplingRepeatsRareClassesUpToTheTarget() {
        // target 40: 'a' (rarest 70) once; 'b' (20) exactly twice; 'c' (rarest class 3: 10) four times
        List<String> o = EpochPlan.order(items(), EpochPlan.Balance.UP, 40, Set.of(), 3, 0, false);
        assertEquals(60, o.stream().filter(s -> s.startsWith("a")).count());
        assertEquals(40, o.stream().filter(s -> s.startsWith("b")).count());
        assertEquals(40, o.stream().filter(s -> s.startsWith("c")).count());
    }

    @Test
    void excludedClassesAreDroppedFromLabels() {
        assertArrayEquals(new int[]{3}, EpochPlan.effectiveLabels(new int[]{1, 3}, Set.of(1)));
        // with class 1 excluded, the 'a' images have no labels and are kept once, the 'c' ones count as class 3
        List<String> o = EpochPlan.order(items(), EpochPlan.Balance.UP, 20, Set.of(1), 3, 0, false);
        assertEquals(60, o.stream().filter(s -> s.startsWith("a")).count());
        assertEquals(20, o.stream().filter(s -> s.startsWith("c")).count());
    }

    @Test
    void holdoutIsStableAndNearItsFraction() {
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            if (EpochPlan.isHoldout("img_" + i, 0.1)) {
                held++;
            }
        }
        assertEquals(1000, held, 120);
        // a larger fraction only adds images: the 10% slice lies inside the 20% one, and 0 holds out nothing
        int inBoth = 0, inTwenty = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean ten = EpochPlan.isHoldout("img_" + i, 0.1);
            boolean twenty = EpochPlan.isHoldout("img_" + i, 0.2);
            assertTrue(!ten || twenty, "img_" + i + " held out at 0.1 but not at 0.2");
            inBoth += ten ? 1 : 0;
            inTwenty += twenty ? 1 : 0;
            assertFalse(EpochPlan.isHoldout("img_" + i, 0.0));
        }
        assertEquals(held, inBoth);
        assertEquals(2000, inTwenty, 160);
    }
}
