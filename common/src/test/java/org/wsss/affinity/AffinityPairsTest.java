package org.wsss.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AffinityPairsTest {

    @Test
    void tinyRowByHand() {
        // labels 0 0 5 at radius 2: (0,1) both background, (1,2) differ, (0,2) is at distance 2 (not < 2)
        AffinityPairs pairs = AffinityPairs.fromLabels(new byte[] {0, 0, 5}, 1, 3, 2);
        assertEquals(1, pairs.count(AffinityPairs.Category.BG_POSITIVE));
        assertEquals(0, pairs.count(AffinityPairs.Category.FG_POSITIVE));
        assertEquals(1, pairs.count(AffinityPairs.Category.NEGATIVE));
        assertEquals(Set.of("0-1:0", "1-2:2"), asSet(pairs.list()));
    }

    @Test
    void matchesBruteForceEnumeration() {
        for (int radius : new int[] {3, 5}) {
            Random rnd = new Random(radius);
            int h = 7;
            int w = 9;
            byte[] labels = new byte[h * w];
            int[] choices = {0, 0, 3, 7, 255};
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) choices[rnd.nextInt(choices.length)];
            }
            Set<String> expected = new HashSet<>();
            int[] counts = new int[3];
            for (int i = 0; i < h * w; i++) {
                for (int j = i + 1; j < h * w; j++) {
                    int dy = j / w - i / w;
                    int dx = j % w - i % w;
                    int a = labels[i] & 0xff;
                    int b = labels[j] & 0xff;
                    if (dy * dy + dx * dx >= radius * radius || a == 255 || b == 255) {
                        continue;
                    }
                    int category = a != b ? 2 : a == 0 ? 0 : 1;
                    counts[category]++;
                    expected.add(i + "-" + j + ":" + category);
                }
            }
            AffinityPairs pairs = AffinityPairs.fromLabels(labels, h, w, radius);
            assertEquals(expected, asSet(pairs.list()), "radius " + radius);
            assertEquals(counts[0], pairs.count(AffinityPairs.Category.BG_POSITIVE));
            assertEquals(counts[1], pairs.count(AffinityPairs.Category.FG_POSITIVE));
            assertEquals(counts[2], pairs.count(AffinityPairs.Category.NEGATIVE));
            assertEquals(expected.size(), pairs.list().from().length, "each unordered pair once");
        }
    }

    @Test
    void planesAgreeWithList() {
        byte[] labels = {0, 4, 4, (byte) 255, 0, 4};
        AffinityPairs pairs = AffinityPairs.fromLabels(labels, 2, 3, 2);
        Set<String> fromPlanes = new HashSet<>();
        for (int o = 0; o < pairs.offsets().size(); o++) {
            byte[] plane = pairs.plane(o);
            int shift = pairs.offsets().dy()[o] * 3 + pairs.offsets().dx()[o];
            for (int i = 0; i < plane.length; i++) {
                if (plane[i] != AffinityPairs.DROPPED) {
                    fromPlanes.add(i + "-" + (i + shift) + ":" + plane[i]);
                }
            }
        }
        assertEquals(asSet(pairs.list()), fromPlanes);
    }

    private static Set<String> asSet(AffinityPairs.PairList list) {
        Set<String> s = new HashSet<>();
        for (int p = 0; p < list.from().length; p++) {
            s.add(list.from()[p] + "-" + list.to()[p] + ":" + list.category()[p]);
        }
        return s;
    }
}
