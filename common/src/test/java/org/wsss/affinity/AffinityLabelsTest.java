package org.wsss.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AffinityLabelsTest {

    private static final byte IGNORE = (byte) 255;

    @Test
    void psaKeepsCellsWhereAlpha4AndAlpha24Agree() {
        // 1x5 grid, class 3 then class 15. m = max cam, bg4 = (1-m)^4, bg24 = (1-m)^24:
        // cell 0 (0.05, 0.02): m .05, bg4 .8145, bg24 .2920 -> bg / bg        -> 0
        // cell 1 (0.10, 0.04): m .10, bg4 .6561, bg24 .0798 -> bg / class 3   -> 255
        // cell 2 (0.30, 0.10): m .30, bg4 .2401, bg24 1.9e-4 -> 3 / 3         -> 3
        // cell 3 (0.60, 0.80): m .80, bg4 .0016, bg24 1.7e-17 -> 15 / 15      -> 15
        // cell 4 (0.20, 0.25): m .25, bg4 .3164, bg24 .0010 -> bg / class 15  -> 255
        float[] cams = {0.05f, 0.10f, 0.30f, 0.60f, 0.20f,
                        0.02f, 0.04f, 0.10f, 0.80f, 0.25f};
        byte[] labels = AffinityLabels.fromCams(cams, new int[] {3, 15}, 1, 5, AffinityLabelParams.psa());
        assertArrayEquals(new byte[] {0, IGNORE, 3, 15, IGNORE}, labels);
    }

    @Test
    void irnPadsWithConstantPlanes() {
        // fg pass pads 0.30, bg pass pads 0.05; ties go to the padded (background) plane:
        // cell 0 (0.02, 0.01): bg / bg -> 0;  cell 1 (0.20, 0.10): bg / 3 -> 255;
        // cell 2 (0.35, 0.50): 15 / 15 -> 15; cell 3 (0.31, 0.10): 3 / 3 -> 3;
        // cell 4 (0.04, 0.06): bg / 15 -> 255; cell 5 (0.30, 0.00): tie -> bg / 3 -> 255
        float[] cams = {0.02f, 0.20f, 0.35f, 0.31f, 0.04f, 0.30f,
                        0.01f, 0.10f, 0.50f, 0.10f, 0.06f, 0.00f};
        byte[] labels = AffinityLabels.fromCams(cams, new int[] {3, 15}, 2, 3, AffinityLabelParams.irn());
        assertArrayEquals(new byte[] {0, IGNORE, 15, 3, IGNORE, IGNORE}, labels);
    }

    @Test
    void imageWithoutForegroundClassesIsAllBackground() {
        byte[] labels = AffinityLabels.fromCams(new float[0], new int[0], 2, 2, AffinityLabelParams.psa());
        assertArrayEquals(new byte[4], labels);
    }

    @Test
    void combineKeepsOnlyAgreement() {
        byte[] fg = {0, 0, 5, 5, 7};
        byte[] bg = {0, 5, 5, 0, 5};
        assertArrayEquals(new byte[] {0, IGNORE, 5, IGNORE, IGNORE}, AffinityLabels.combine(fg, bg));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> AffinityLabels.fromCams(new float[5], new int[] {1, 2}, 1, 5, AffinityLabelParams.psa()));
        assertThrows(IllegalArgumentException.class,
                () -> AffinityLabels.fromCams(new float[5], new int[] {255}, 1, 5, AffinityLabelParams.psa()));
        assertThrows(IllegalArgumentException.class,
                () -> new AffinityLabelParams(AffinityLabelParams.Mode.PSA, 24, 4));
        assertThrows(IllegalArgumentException.class,
                () -> new AffinityLabelParams(AffinityLabelParams.Mode.IRN, 0.05, 0.30));
    }
}
