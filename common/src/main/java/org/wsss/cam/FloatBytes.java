package org.wsss.cam;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float maps in Parquet binary columns: little-endian IEEE-754 float32, row-major, so that
 * {@code numpy.frombuffer(b, '<f4').reshape(k, h, w)} reads them back.
 */
public final class FloatBytes {
    private FloatBytes() {
    }

    public static byte[] encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    public static float[] decode(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new IllegalArgumentException("float32 bytes must be a multiple of 4 long, got " + bytes.length);
        }
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
