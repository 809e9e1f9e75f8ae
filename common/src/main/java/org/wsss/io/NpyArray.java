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

    /**
     * @param source what to name in the message, e.g. {@code "--cams c.npy"}
     * @throws IllegalArgumentException naming the source and the (C-order) index of the first NaN or infinite
     *                                  value, which the kernels would otherwise spread through their output
     */
    public void requireFinite(String source) {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException(source + ": element " + index(i) + " is " + data[i]
                        + "; every value must be a finite number");
            }
        }
    }

    /** The flat C-order position as numpy's index tuple, e.g. (1, 0, 7). */
    String index(int flat) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? flat : flat / shape[d];
        }
        return Npy.pythonShape(idx);
    }
}
