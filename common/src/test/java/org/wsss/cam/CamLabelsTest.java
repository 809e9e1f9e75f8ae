package org.wsss.cam;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CamLabelsTest {

    @Test
    void constantBackgroundArgmaxHandCase() {
        // two classes (3 and 7) on a 1x4 grid; background 0.3
        float[] maps = {
                0.1f, 0.5f, 0.3f, 0.9f,   // class 3
                0.2f, 0.4f, 0.35f, 0.9f}; // class 7
        byte[] l = CamLabels.withConstantBackground(maps, 2, 1, 4, new int[]{3, 7}, 0.3f);
        // px0: max 0.2 < 0.3 -> bg; px1: 0.5 -> 3; px2: 0.35 beats 0.3 -> 7; px3: tie 0.9/0.9 -> first (3)
        assertArrayEquals(new byte[]{0, 3, 7, 3}, l);
    }

    @Test
    void floatBytesAreLittleEndianFloat32() {
        byte[] b = FloatBytes.encode(new float[]{1.0f, -2.5f});
        // 1.0f = 0x3F800000, -2.5f = 0xC0200000, little-endian
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, b);
        assertArrayEquals(new float[]{1.0f, -2.5f}, FloatBytes.decode(b));
        assertThrows(IllegalArgumentException.class, () -> FloatBytes.decode(new byte[3]));
    }
}
