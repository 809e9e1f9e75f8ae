package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.data.RgbImage;

class ImageTensorsTest {

    @Test
    void onePixelIsNormalisedWithImageNetStatistics() {
        INDArray t = ImageTensors.toInput(new RgbImage(1, 1, new byte[] {(byte) 255, 0, (byte) 128}));
        assertArrayEquals(new long[] {1, 3, 1, 1}, t.shape());
        assertEquals((1.0 - 0.485) / 0.229, t.getDouble(0, 0, 0, 0), 1e-5);
        assertEquals((0.0 - 0.456) / 0.224, t.getDouble(0, 1, 0, 0), 1e-5);
        assertEquals((128 / 255.0 - 0.406) / 0.225, t.getDouble(0, 2, 0, 0), 1e-5);
    }

    @Test
    void batchKeepsImageOrderAndPlanesAndRejectsMixedSizes() {
        RgbImage a = new RgbImage(2, 1, new byte[] {10, 20, 30, 40, 50, 60});
        RgbImage b = new RgbImage(2, 1, new byte[] {(byte) 200, 0, 0, 0, 0, 0});
        INDArray batch = ImageTensors.toBatch(List.of(a, b));
        assertArrayEquals(new long[] {2, 3, 1, 2}, batch.shape());
        assertEquals((40 / 255.0 - 0.485) / 0.229, batch.getDouble(0, 0, 0, 1), 1e-5); // a, red, x=1
        assertEquals((60 / 255.0 - 0.406) / 0.225, batch.getDouble(0, 2, 0, 1), 1e-5); // a, blue, x=1
        assertEquals((200 / 255.0 - 0.485) / 0.229, batch.getDouble(1, 0, 0, 0), 1e-5);
        assertThrows(IllegalArgumentException.class,
                () -> ImageTensors.toBatch(List.of(a, new RgbImage(1, 1, new byte[3]))));
    }

    @Test
    void downsamplingALinearRampByTwoGivesTheRampAtTheCoveredCentres() {
        // v(x, y) = 3x - 2y + 1 on 8 x 6; halving samples source coordinate 2i + 0.5 (pixel centres).
        int w = 8;
        int h = 6;
        float[] ramp = new float[2 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ramp[y * w + x] = 3 * x - 2 * y + 1;
                ramp[h * w + y * w + x] = -x; // second map, another ramp
            }
        }
        float[] out = ImageTensors.resizeMaps(ramp, 2, h, w, 3, 4);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(3 * (2 * x + 0.5) - 2 * (2 * y + 0.5) + 1, out[y * 4 + x], 1e-5);
                assertEquals(-(2 * x + 0.5), out[12 + y * 4 + x], 1e-5);
            }
        }
    }

    @Test
    void upsamplingALinearRampStaysLinearInsideAndClampsAtTheBorder() {
        float[] ramp = {0, 10, 20, 30}; // 1 x 4, v(x) = 10x
        float[] out = ImageTensors.resizeMaps(ramp, 1, 1, 4, 1, 8);
        // Output pixel i looks at source x = (i + 0.5) / 2 - 0.5; outside [0, 3] the edge value holds.
        float[] expected = {0, 2.5f, 7.5f, 12.5f, 17.5f, 22.5f, 27.5f, 30};
        assertArrayEquals(expected, out, 1e-5f);
    }

    @Test
    void imageResizeOfAGreyRampIsTheRoundedRamp() {
        int w = 8;
        byte[] rgb = new byte[w * 3];
        for (int x = 0; x < w; x++) {
            rgb[x * 3] = rgb[x * 3 + 1] = rgb[x * 3 + 2] = (byte) (30 * x + 5);
        }
        RgbImage half = ImageTensors.resize(new RgbImage(w, 1, rgb), 4, 1);
        for (int x = 0; x < 4; x++) {
            int expected = (int) Math.round(30 * (2 * x + 0.5) + 5);
            assertEquals(expected, half.r(x, 0));
            assertEquals(expected, half.b(x, 0));
        }
    }

    @Test
    void flipMirrorsPixelsAndMaps() {
        RgbImage img = new RgbImage(3, 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        RgbImage f = ImageTensors.flipHorizontal(img);
        assertArrayEquals(new byte[] {7, 8, 9, 4, 5, 6, 1, 2, 3}, f.rgb());
        float[] maps = {1, 2, 3, 4, 5, 6}; // 2 maps of 1 x 3
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, ImageTensors.flipMapsHorizontal(maps, 2, 1, 3));
    }

    @Test
    void rejectsInconsistentMapSizes() {
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.resizeMaps(new float[5], 1, 2, 3, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.resizeMaps(new float[6], 1, 2, 3, 0, 4));
    }
}
