package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.data.Point;

class SegTargetsTest {

    private static final byte U = (byte) 255;

    @Test
    void gridCellsTakeTheMajorityOfTheirLabelledPixels() {
        byte[] labels = {
                1, 1, 2, 2, 0,
                1, 2, 2, U, 0,
                U, U, 3, 3, U};
        // stride 2 on 5 x 3: grid 3 x 2; the last column and row are partial cells
        float[] grid = SegTargets.toGrid(labels, 5, 3, 2);
        assertArrayEquals(new float[]{1, 2, 0, 255, 3, 255}, grid);
        assertArrayEquals(new float[]{255}, SegTargets.toGrid(new byte[]{1, 2, 1, 2}, 2, 2, 2), "a tie");
        assertArrayEquals(new float[]{1}, SegTargets.toGrid(new byte[]{1, 2, 1, U}, 2, 2, 2));
        assertArrayEquals(new float[]{(byte) 200 & 0xff}, SegTargets.toGrid(new byte[]{(byte) 200}, 1, 1, 8),
                "classes above 127 read unsigned");
    }

    @Test
    void pointsLandInTheirCellAndConflictingPointsCancel() {
        float[] grid = SegTargets.pointsToGrid(List.of(new Point(0, 0, 1), new Point(1, 1, 2), new Point(7, 6, 4)),
                8, 8, 4);
        assertArrayEquals(new float[]{255, 255, 255, 4}, grid);
        assertThrows(IllegalArgumentException.class,
                () -> SegTargets.pointsToGrid(List.of(new Point(8, 0, 1)), 8, 8, 4));
    }

    @Test
    void batchHoldsBothHeadsLabelsInOutputOrder() {
        float[] a = {0, 1, 255, 1};
        float[] b = {1, 1, 0, 0};
        float[] pts = {255, 2, 255, 255};
        MultiDataSet data = SegTargets.batch(Nd4j.zeros(DataType.FLOAT, 2, 3, 16, 9), 8, new float[][]{a, b},
                new float[][]{pts, null});
        assertEquals(1, data.getFeatures().length);
        assertArrayEquals(new float[]{0, 1, 255, 1, 1, 1, 0, 0}, data.getLabels(0).reshape(8).toFloatVector());
        assertArrayEquals(new float[]{255, 2, 255, 255, 255, 255, 255, 255},
                data.getLabels(1).reshape(8).toFloatVector());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegTargets.batch(
                Nd4j.zeros(DataType.FLOAT, 1, 3, 24, 16), 8, new float[][]{a}, null));
        assertEquals("class labels of image 0 have 4 cells, expected 6 (the score grid of the images)",
                e.getMessage());
    }
}
