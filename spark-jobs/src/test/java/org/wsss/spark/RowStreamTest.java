package org.wsss.spark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowStreamTest {

    /** A row is mapped when it is pulled, not before: the task holds one row's output at a time. */
    @Test
    void rowsAreMappedOneAtATimeAsTheyArePulled() {
        AtomicInteger mapped = new AtomicInteger();
        AtomicInteger ends = new AtomicInteger();
        Iterator<Integer> out = RowStream.map(List.of(1, 2, 3).iterator(), x -> {
            mapped.incrementAndGet();
            return 10 * x;
        }, ends::incrementAndGet);
        assertEquals(0, mapped.get());
        assertEquals(10, out.next());
        assertEquals(1, mapped.get());
        assertEquals(20, out.next());
        assertEquals(2, mapped.get());
        assertEquals(0, ends.get(), "not at its end yet");
        assertEquals(30, out.next());
        assertEquals(0, ends.get(), "the end is known only when the next row is asked for");
        assertFalse(out.hasNext());
        assertFalse(out.hasNext());
        assertEquals(1, ends.get(), "the end hook runs once");
        assertThrows(NoSuchElementException.class, out::next);
    }

    @Test
    void rowsMappedToNullAreDroppedAndAnEmptyPartitionStillEnds() {
        List<Integer> kept = new ArrayList<>();
        AtomicInteger ends = new AtomicInteger();
        RowStream.<Integer, Integer>map(List.of(1, 2, 3, 4, 5).iterator(), x -> x % 2 == 0 ? null : x,
                ends::incrementAndGet).forEachRemaining(kept::add);
        assertEquals(List.of(1, 3, 5), kept);
        assertEquals(1, ends.get());
        Iterator<Integer> none = RowStream.map(List.<Integer>of().iterator(), x -> x, ends::incrementAndGet);
        assertFalse(none.hasNext());
        assertEquals(2, ends.get());
    }

    @Test
    void aCheckedFailureFailsThePullThatMetIt() {
        Iterator<Integer> out = RowStream.map(List.of(1, 2).iterator(), x -> {
            if (x == 2) {
                throw new IOException("broken row " + x);
            }
            return x;
        }, () -> { });
        assertEquals(1, out.next());
        IllegalStateException e = assertThrows(IllegalStateException.class, out::hasNext);
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getMessage().contains("broken row 2"));
    }
}
