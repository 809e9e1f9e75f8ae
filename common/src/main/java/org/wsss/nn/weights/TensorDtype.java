package org.wsss.nn.weights;

import java.nio.ByteBuffer;

/**
 * Element types a weights file may store, by their safetensors names, each decoded to float32. Floating types are
 * what weights are; the integer and boolean types are read too because a PyTorch state_dict carries BatchNorm's
 * int64 {@code num_batches_tracked} counters, and refusing them would refuse every torchvision model saved with
 * {@code state_dict()} (values beyond 2^24 lose precision, as a cast to float32 would).
 */
public enum TensorDtype {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    TensorDtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** @return the dtype called {@code name} in a safetensors header, or null when this reader has none by that name */
    static TensorDtype bySafetensorsName(String name) {
        for (TensorDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    static String supportedNames() {
        StringBuilder sb = new StringBuilder();
        for (TensorDtype d : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.name());
        }
        return sb.toString();
    }

    /** Decodes {@code count} elements from {@code in}'s position (the buffer must be little-endian) into {@code out}. */
    void decode(ByteBuffer in, float[] out, int outOffset, int count) {
        if (this == F32) {
            in.asFloatBuffer().get(out, outOffset, count);
            in.position(in.position() + 4 * count);
            return;
        }
        for (int i = 0; i < count; i++) {
            out[outOffset + i] = switch (this) {
                case F32 -> in.getFloat();
                case F16 -> halfToFloat(in.getShort());
                case BF16 -> Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
                case F64 -> (float) in.getDouble();
                case I64 -> (float) in.getLong();
                case I32 -> (float) in.getInt();
                case I16 -> (float) in.getShort();
                case I8 -> (float) in.get();
                case U8 -> (float) (in.get() & 0xff);
                case BOOL -> in.get() != 0 ? 1f : 0f;
            };
        }
    }

    /** IEEE 754 binary16 to binary32, exact for every value (Float.float16ToFloat arrives only in Java 20). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
