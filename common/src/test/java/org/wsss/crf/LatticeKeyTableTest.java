package org.wsss.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatticeKeyTableTest {
    @Test
    void agreesWithAHashMapThroughGrowth() {
        int dim = 5;
        LatticeKeyTable table = new LatticeKeyTable(dim, 4);
        Map<List<Integer>, Integer> reference = new HashMap<>();
        Random rnd = new Random(1);
        int[] key = new int[dim];
        for (int step = 0; step < 20000; step++) {
            List<Integer> boxed = new ArrayList<>();
            for (int k = 0; k < dim; k++) {
                key[k] = rnd.nextInt(13) - 6;
                boxed.add(key[k]);
            }
            int expected = reference.computeIfAbsent(boxed, b -> reference.size());
            assertEquals(expected, table.findOrInsert(key));
        }
        assertEquals(reference.size(), table.size());
        for (Map.Entry<List<Integer>, Integer> e : reference.entrySet()) {
            for (int k = 0; k < dim; k++) {
                key[k] = e.getKey().get(k);
                assertEquals((int) e.getKey().get(k), table.coordinate(e.getValue(), k));
            }
            assertEquals((int) e.getValue(), table.find(key));
        }
        key[0] = 100;
        assertEquals(-1, table.find(key));
    }
}
