package org.wsss.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffHeapTest {
    private static INDArray oneToSix() {
        return Nd4j.create(new float[]{1, 2, 3, 4, 5, 6}, new long[]{2, 3}, 'c');
    }

    @Test
    void closesArraysThatOwnTheirBuffers() {
        INDArray a = oneToSix();
        INDArray b = Nd4j.zeros(DataType.FLOAT, 4);
        OffHeap.close(Arrays.asList(a, null, b));
        assertTrue(a.wasClosed());
        assertTrue(b.wasClosed());
    }

    @Test
    void keepsTheKeptArraysAndAnyArrayOnTheirBuffers() {
        INDArray a = oneToSix();
        INDArray sameBuffer = Nd4j.create(a.data(), new long[]{3, 2});
        assertTrue(sameBuffer.closeable(), "a second array on a's buffer, closeable on its own");
        INDArray copy = a.dup();
        OffHeap.close(List.of(a, sameBuffer, copy), a);
        assertFalse(a.wasClosed());
        assertFalse(sameBuffer.wasClosed(), "it shares the kept array's buffer");
        assertTrue(copy.wasClosed());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, a.reshape(6).toFloatVector());
    }

    @Test
    void leavesViewsAlone() {
        INDArray a = oneToSix();
        INDArray row = a.getRow(1);
        OffHeap.close(row);
        assertFalse(row.wasClosed());
        assertArrayEquals(new float[]{4, 5, 6}, row.toFloatVector());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, a.reshape(6).toFloatVector());
    }

    @Test
    void closesABufferSharedByTwoArraysOnce() {
        INDArray a = oneToSix();
        INDArray sameBuffer = Nd4j.create(a.data(), new long[]{3, 2});
        OffHeap.close(a, sameBuffer, a);
        assertTrue(a.wasClosed());
        assertTrue(sameBuffer.wasClosed(), "its buffer went with a, and closing it again threw nothing");
    }

    @Test
    void closeCopyKeepsACastThatIsTheSourceItself() {
        INDArray a = oneToSix();
        INDArray same = a.castTo(DataType.FLOAT);
        OffHeap.closeCopy(same, a);
        assertFalse(a.wasClosed());
        INDArray cast = a.castTo(DataType.DOUBLE);
        OffHeap.closeCopy(cast, a);
        assertTrue(cast.wasClosed());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, a.reshape(6).toFloatVector());
    }
}
