package org.wsss.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Which training images an epoch visits, how often and in which order, decided on the driver from the
 * image-level labels alone. Balancing (the LID solution's class balancing by downsampling) looks at each
 * image's rarest label: an image whose rarest class has n images is kept target/n times in expectation
 * (at most once when downsampling, at least once when upsampling).
 */
public final class EpochPlan {
    private EpochPlan() {
    }

    /** One training image: its id and its image-level labels (class indices 1..C). */
    public record Item(String imageId, int[] labels) implements java.io.Serializable {
    }

    public enum Balance { NONE, DOWN, UP }

    /** Labels without the excluded classes. */
    public static int[] effectiveLabels(int[] labels, Set<Integer> excluded) {
        return Arrays.stream(labels).filter(l -> !excluded.contains(l)).toArray();
    }

    /** Stable assignment of an image to the held-out part, independent of order and of the other images. */
    public static boolean isHoldout(String imageId, double fraction) {
        if (fraction <= 0) {
            return false;
        }
        long h = 1125899906842597L;
        for (int i = 0; i < imageId.length(); i++) {
            h = 31 * h + imageId.charAt(i);
        }
        h ^= (h >>> 33);
        h *= 0xff51afd7ed558ccdL;
        h ^= (h >>> 33);
        return Math.floorMod(h, 10_000) < fraction * 10_000;
    }

    /** Images per class (after exclusion). */
    public static Map<Integer, Integer> classCounts(List<Item> items, Set<Integer> excluded) {
        Map<Integer, Integer> n = new HashMap<>();
        for (Item it : items) {
            for (int l : effectiveLabels(it.labels(), excluded)) {
                n.merge(l, 1, Integer::sum);
            }
        }
        return n;
    }

    /** The median of the non-zero class counts (the default balancing target). */
    public static int medianCount(Map<Integer, Integer> counts) {
        List<Integer> v = new ArrayList<>(counts.values());
        if (v.isEmpty()) {
            return 0;
        }
        Collections.sort(v);
        int m = v.size();
        return m % 2 == 1 ? v.get(m / 2) : (int) Math.round((v.get(m / 2 - 1) + v.get(m / 2)) / 2.0);
    }

    /**
     * The epoch's sequence of image ids (an id may repeat when upsampling, be absent when downsampling),
     * shuffled unless {@code shuffle} is false (then in the given order).
     */
    public static List<String> order(List<Item> items, Balance balance, int target, Set<Integer> excluded,
                                     long seed, int epoch, boolean shuffle) {
        Map<Integer, Integer> counts = classCounts(items, excluded);
        int t = target > 0 ? target : medianCount(counts);
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + epoch);
        List<String> out = new ArrayList<>(items.size());
        for (Item it : items) {
            int copies = 1;
            int[] labels = effectiveLabels(it.labels(), excluded);
            if (balance != Balance.NONE && labels.length > 0 && t > 0) {
                int rarest = Integer.MAX_VALUE;
                for (int l : labels) {
                    rarest = Math.min(rarest, counts.get(l));
                }
                double expected = t / (double) rarest;
                if (balance == Balance.DOWN) {
                    expected = Math.min(1.0, expected);
                } else {
                    expected = Math.max(1.0, expected);
                }
                int whole = (int) Math.floor(expected);
                copies = whole + (rnd.nextDouble() < expected - whole ? 1 : 0);
            }
            for (int c = 0; c < copies; c++) {
                out.add(it.imageId());
            }
        }
        if (shuffle) {
            Collections.shuffle(out, new Random(seed * 7_919L + epoch));
        }
        return out;
    }
}
