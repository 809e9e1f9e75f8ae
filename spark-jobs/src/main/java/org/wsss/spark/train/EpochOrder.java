package org.wsss.spark.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The order of a training epoch: a seeded shuffle of the images. */
public final class EpochOrder {
    private EpochOrder() {
    }

    /** Each image's position 0..n-1 in the epoch's order: a shuffle of the sorted ids, the same for a seed and epoch. */
    public static Map<String, Long> shuffledPositions(List<String> sortedIds, long seed, int epoch) {
        List<String> order = new ArrayList<>(sortedIds);
        Collections.shuffle(order, new Random(seed * 7_919L + epoch));
        Map<String, Long> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), (long) i);
        }
        return position;
    }
}
