package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DeallocationBacklogTest {

    @Test
    void countsEveryTrackedBufferAndDrainsTheDeadOnes() {
        long base = DeallocationBacklog.drain(0, 30_000);
        assertTrue(base >= 0, "ND4J's deallocator map is readable on this ND4J");
        List<INDArray> held = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            held.add(Nd4j.create(DataType.FLOAT, 4));
        }
        long withHeld = DeallocationBacklog.pending();
        assertTrue(withHeld >= base + 5000, "5000 live arrays are tracked: " + base + " -> " + withHeld);
        held.clear();
        long after = DeallocationBacklog.drain(base + 100, 30_000);
        assertTrue(after <= base + 1000, "dropped arrays drain away: " + withHeld + " -> " + after + " (base " + base
                + ")");
    }
}
