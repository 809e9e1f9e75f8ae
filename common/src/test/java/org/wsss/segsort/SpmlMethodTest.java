package org.wsss.segsort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class SpmlMethodTest {


    @Test
    void theEmbeddingsLabelsAreClassesSuperpixelsAndTagFlagsByHand() {
        // one 8x8 image of four flat quadrants (four colours), score grid 2x2 (stride 4): four superpixels, one per
        // cell, numbered in raster order; classes as given; tags {2} of 3 classes -> flags 0 1 0
        float[] rgb = new float[3 * 64];
        float[][] colours = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                float[] c = colours[(y / 4) * 2 + x / 4];
                for (int ch = 0; ch < 3; ch++) {
                    rgb[ch * 64 + y * 8 + x] = c[ch];
                }
            }
        }
        INDArray image = Nd4j.createFromArray(rgb).reshape(1, 3, 8, 8);
        INDArray classes = Nd4j.createFromArray(new float[][]{{0, 2, 255, 2}});
        SpmlMethod m = new SpmlMethod(SpmlTerms.published("tags"), PixelSorting.Params.DEFAULTS, 2,
                new Superpixels.Params(4, 0.5, 10), 0).forClasses(3);
        MultiDataSet example = new MultiDataSet(new INDArray[]{image},
                new INDArray[]{classes, Nd4j.zeros(1, 4).addi(255)});
        org.nd4j.linalg.dataset.api.MultiDataSet labelled = m.labels(example, new int[]{2});
        assertArrayEquals(new float[]{0, 2, 255, 2, 0, 1, 2, 3, 0, 1, 0}, labelled.getLabels(1).toFloatVector());
        assertArrayEquals(new float[]{255, 255, 255, 255}, labelled.getLabels(0).toFloatVector(),
                "the class scores learn nothing");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.labels(example));
        assertEquals("train.method = spml needs each example's image tags: call labels(example, tags)",
                e.getMessage());
    }
}
