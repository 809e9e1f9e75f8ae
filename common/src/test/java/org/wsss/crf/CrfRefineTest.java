package org.wsss.crf;

import org.junit.jupiter.api.Test;
import org.wsss.affinity.AffinityLabelParams;
import org.wsss.data.RgbImage;

import static org.junit.jupiter.api.Assertions.*;

class CrfRefineTest {

    /** 20x12 image: left half grey, right half red. */
    static RgbImage twoColours() {
        int w = 20, h = 12;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                boolean right = x >= w / 2;
                rgb[i] = (byte) (right ? 210 : 90);
                rgb[i + 1] = (byte) (right ? 30 : 90);
                rgb[i + 2] = (byte) (right ? 30 : 90);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    @Test
    void labelsMapRowsToClassIndicesAndSnapToTheColourEdge() {
        RgbImage img = twoColours();
        int n = 20 * 12;
        // a blurry score for class 7 that leaks three columns into the grey half
        float[] scores = new float[2 * n];
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 20; x++) {
                float cls = x >= 7 ? 0.6f : 0.2f;
                scores[y * 20 + x] = 1 - cls;
                scores[n + y * 20 + x] = cls;
            }
        }
        byte[] l = CrfRefine.labels(new DenseCrf(CrfParams.DEFAULTS), img, scores, 2, new int[]{7});
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 20; x++) {
                assertEquals(x >= 10 ? 7 : 0, l[y * 20 + x], "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void affinityLabelsAgreeOnConfidentRegionsAndIgnoreTheRest() {
        RgbImage img = twoColours();
        int n = 20 * 12;
        float[] cam = new float[n];
        for (int i = 0; i < n; i++) {
            int x = i % 20;
            cam[i] = x >= 10 ? 1.0f : x >= 8 ? 0.5f : 0.0f;
        }
        // alpha 4: bg = (1-cam)^4; cam 1 -> 0 (class), cam 0 -> 1 (bg); cam 0.5 -> 0.0625 (class)
        // alpha 24 everywhere the CAM is > 0 the class wins; the CRF snaps both passes to the colour edge
        byte[] l = CrfRefine.affinityLabels(new DenseCrf(CrfParams.DEFAULTS), img, cam, new int[]{3},
                AffinityLabelParams.psa());
        assertEquals(3, l[5 * 20 + 15]);
        assertEquals(0, l[5 * 20 + 2]);
        for (byte b : l) {
            int v = b & 0xff;
            assertTrue(v == 0 || v == 3 || v == 255);
        }
    }
}
