package org.wsss.nn.weights;

/** A tensor as a weights file declares it, before any data is read: name, stored dtype and shape. */
public record TensorInfo(String name, String dtype, long[] shape) {
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
