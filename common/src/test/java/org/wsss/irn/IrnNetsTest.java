package org.wsss.irn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.affinity.AffinityField;
import org.wsss.affinity.AffinityNets;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.ModelZip;
import org.wsss.nn.TrainingHyper;

class IrnNetsTest {

    private static final TrainingHyper HYPER = new TrainingHyper("adam", 1e-2, 0.9, 0, 1);

    @Test
    void theBranchesReadTheSmallClassifiersLevelsAtStrideFour() {
        ComputationGraph classifier = ClassifierNets.smallDilated(3, 1);
        List<IrnNets.Level> levels = IrnNets.shapes(classifier, IrnNets.taps("small"), 64);
        assertEquals(List.of(4, 8, 8, 8), levels.stream().map(IrnNets.Level::stride).toList());
        ComputationGraph irn = IrnNets.build(levels, 5, 0, 1, HYPER);
        INDArray[] x = IrnNets.levels(classifier, IrnNets.taps("small"), Nd4j.rand(1, 3, 64, 64));
        IrnNets.Maps maps = IrnNets.maps(irn, x);
        assertEquals(16, maps.height());
        assertEquals(16, maps.width());
        assertEquals(2 * 16 * 16, maps.displacement().length);
        for (float b : maps.boundary()) {
            assertTrue(b > 0 && b < 1, "a sigmoid boundary score");
        }
    }

    @Test
    void trainingSeparatesAnObjectFromItsBackgroundAndSurvivesTheModelZip() {
        // one 64 px image, a bright square on dark noise; its stride-4 labels: the square class 1, the rest background.
        // After training, pairs across the square's edge have a lower affinity than pairs inside either region.
        ComputationGraph classifier = ClassifierNets.smallDilated(3, 1);
        List<String> taps = IrnNets.taps("small");
        INDArray image = Nd4j.rand(1, 3, 64, 64).muli(0.2);
        byte[] labels = new byte[16 * 16];
        for (int y = 4; y < 12; y++) {
            for (int x = 4; x < 12; x++) {
                labels[y * 16 + x] = 1;
                for (int c = 0; c < 3; c++) {
                    image.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(c),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(y * 4, y * 4 + 4),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(x * 4, x * 4 + 4)).assign(0.9);
                }
            }
        }
        INDArray[] x = IrnNets.levels(classifier, taps, image);
        ComputationGraph irn = IrnNets.build(IrnNets.shapes(classifier, taps, 64), 5, 16, 1, HYPER);
        float[] codes = AffinityNets.labelsFor(labels, 16, 16, 5);
        INDArray y = Nd4j.create(codes, new long[]{1, codes.length});
        MultiDataSet example = new MultiDataSet(x, new INDArray[]{y, y.dup()});
        double before = irn.score(example);
        for (int i = 0; i < 60; i++) {
            irn.fit(example);
        }
        double after = irn.score(example);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);

        IrnNets.Maps maps = IrnNets.maps(irn, x);
        AffinityField field = BoundaryAffinity.field(maps.boundary(), 16, 16, 5);
        double across = 0, within = 0;
        int nAcross = 0, nWithin = 0;
        for (int o = 0; o < field.offsets().size(); o++) {
            int dy = field.offsets().dy()[o], dx = field.offsets().dx()[o];
            for (int yy = 0; yy + dy < 16; yy++) {
                for (int xx = Math.max(0, -dx); xx < Math.min(16, 16 - dx); xx++) {
                    boolean same = labels[yy * 16 + xx] == labels[(yy + dy) * 16 + xx + dx];
                    if (same) {
                        within += field.planes()[o][yy * 16 + xx];
                        nWithin++;
                    } else {
                        across += field.planes()[o][yy * 16 + xx];
                        nAcross++;
                    }
                }
            }
        }
        assertTrue(across / nAcross < within / nWithin - 0.2, "mean affinity across the edge " + across / nAcross
                + ", within a region " + within / nWithin);

        ComputationGraph restored = ModelZip.fromBytes(ModelZip.toBytes(irn, false), false);
        assertArrayEquals(maps.boundary(), IrnNets.maps(restored, x).boundary(), 1e-6f);
        assertArrayEquals(maps.displacement(), IrnNets.maps(restored, x).displacement(), 1e-6f);
    }
}
