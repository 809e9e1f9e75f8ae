package org.wsss.seg;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;
import org.wsss.data.RgbImage;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SegExamplesTest {

    private static final RgbImage IMAGE = new RgbImage(8, 8, new byte[8 * 8 * 3]);

    /** 8x8, class 1 in the left half, background in the right. */
    private static LabelMask leftHalf() {
        byte[] l = new byte[64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 4; x++) {
                l[y * 8 + x] = 1;
            }
        }
        return new LabelMask(8, 8, l);
    }

    private static float[] row(MultiDataSet m, int labels) {
        return m.getLabels(labels).toFloatVector();
    }

    @Test
    void pseudoLabelsAreResizedToTheInputAndVotedOntoTheScoreGrid() {
        // input 16, stride 8: a 2x2 grid; the left column of cells is class 1
        MultiDataSet m = SegExamples.example(IMAGE, leftHalf(), List.of(), null, 16, 8, false, true);
        assertArrayEquals(new long[]{1, 3, 16, 16}, m.getFeatures(0).shape());
        assertArrayEquals(new float[]{1, 0, 1, 0}, row(m, 0));
        assertArrayEquals(new float[]{255, 255, 255, 255}, row(m, 1), "no points, nothing for the triplet loss");
        MultiDataSet flipped = SegExamples.example(IMAGE, leftHalf(), List.of(), null, 16, 8, true, true);
        assertArrayEquals(new float[]{0, 1, 0, 1}, row(flipped, 0));
    }

    @Test
    void pointsMoveWithTheResizeAndTheFlip() {
        // pixel (1, 1) of 8x8 is pixel (3, 3) of 16x16: cell (0, 0); mirrored it is (12, 3): cell (0, 1)
        List<Point> pts = List.of(new Point(1, 1, 2), new Point(6, 7, 0));
        MultiDataSet m = SegExamples.example(IMAGE, null, pts, null, 16, 8, false, true);
        assertArrayEquals(new float[]{2, 255, 255, 0}, row(m, 0));
        assertArrayEquals(new float[]{2, 255, 255, 0}, row(m, 1));
        MultiDataSet f = SegExamples.example(IMAGE, null, pts, null, 16, 8, true, false);
        assertArrayEquals(new float[]{255, 2, 0, 255}, row(f, 0));
        assertArrayEquals(new float[]{255, 255, 255, 255}, row(f, 1), "triplet points off");
    }

    @Test
    void anExtensionAddsItsCellsAndThePointsStay() {
        byte[] ext = new byte[16 * 16];
        java.util.Arrays.fill(ext, (byte) 255);
        for (int y = 8; y < 16; y++) {
            for (int x = 8; x < 16; x++) {
                ext[y * 16 + x] = 3; // the bottom-right cell extended to class 3
            }
        }
        MultiDataSet m = SegExamples.example(IMAGE, null, List.of(new Point(1, 1, 2)), ext, 16, 8, false, true);
        assertArrayEquals(new float[]{2, 255, 255, 3}, row(m, 0));
        assertArrayEquals(new float[]{2, 255, 255, 255}, row(m, 1), "only annotated points feed the triplet loss");
    }

    @Test
    void aClickWinsItsCellOverTheMajorityOfTheExtension() {
        // the extension calls every pixel of cell (0, 0) background but the click's own: 63 votes against 1
        byte[] ext = new byte[16 * 16];
        java.util.Arrays.fill(ext, (byte) 255);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                ext[y * 16 + x] = 0;
            }
        }
        MultiDataSet m = SegExamples.example(IMAGE, null, List.of(new Point(1, 1, 2)), ext, 16, 8, false, true);
        assertArrayEquals(new float[]{2, 255, 255, 255}, row(m, 0));
        // without a click the same extension is a plain vote
        MultiDataSet none = SegExamples.example(IMAGE, null, List.of(), ext, 16, 8, false, true);
        assertArrayEquals(new float[]{0, 255, 255, 255}, row(none, 0));
    }

    @Test
    void theExtensionsLabelSetIsTheTagsAndTheClickedClasses() {
        assertArrayEquals(new int[]{0, 1, 2, 3}, SegExamples.labelSet(new int[]{3, 1},
                List.of(new Point(0, 0, 0), new Point(1, 1, 3), new Point(2, 2, 2))));
        assertArrayEquals(new int[]{1}, SegExamples.labelSet(new int[]{1}, List.of()), "no clicks: the tags alone");
    }

    @Test
    void scaledPointsLandOnThePixelCoveringTheirCentre() {
        assertEquals(List.of(new Point(0, 0, 1), new Point(3, 1, 1)),
                SegExamples.scalePoints(List.of(new Point(0, 0, 1), new Point(9, 3, 1)), 10, 10, 4));
        assertThrows(IllegalArgumentException.class,
                () -> SegExamples.scalePoints(List.of(new Point(10, 0, 1)), 10, 10, 4));
    }

    @Test
    void aRescaledExampleIsCroppedOrPaddedBackToTheInput() {
        // scale 2: the 16x16 example becomes 32x32; the left window is all class 1, the right one all background
        List<Point> pts = List.of(new Point(1, 1, 2));
        MultiDataSet left = SegExamples.example(IMAGE, leftHalf(), pts, null, 16, 8, false, true,
                new SegExamples.Rescale(2, 0, 0));
        assertArrayEquals(new float[]{2, 1, 1, 1}, row(left, 0), "the click wins its cell over the pseudo-label");
        assertArrayEquals(new float[]{2, 255, 255, 255}, row(left, 1), "(1,1) -> (3,3) -> (7,7): cell (0, 0)");
        MultiDataSet right = SegExamples.example(IMAGE, leftHalf(), pts, null, 16, 8, false, true,
                new SegExamples.Rescale(2, 1, 0));
        assertArrayEquals(new float[]{0, 0, 0, 0}, row(right, 0));
        assertArrayEquals(new float[]{255, 255, 255, 255}, row(right, 1), "the point fell outside the window");
        // scale 0.5: the example shrinks to the top-left 8x8 cell, the padding is ignored
        MultiDataSet small = SegExamples.example(IMAGE, new LabelMask(8, 8, new byte[64]), List.of(), null, 16, 8,
                false, true, new SegExamples.Rescale(0.5, 0.3, 0.7));
        assertArrayEquals(new float[]{0, 255, 255, 255}, row(small, 0));
        assertEquals(0f, small.getFeatures(0).getFloat(0, 0, 12, 12)
                - small.getFeatures(0).getFloat(0, 0, 15, 15), "padding is one constant (black)");
    }
}
