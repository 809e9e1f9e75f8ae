package org.wsss.io;

import java.util.Arrays;

/**
 * A dense C-order (row-major) float array as stored in a .npy file. {@code shape} may be empty (a
 * scalar, one element).
 */
public record NpyArray(int[] shape, float[] data) {
    public NpyArray {
        long size = Npy.elementCount(shape);
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " elements but data has " + data.length);
        }
    }
}
