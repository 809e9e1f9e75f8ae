package org.wsss.irn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.wsss.affinity.AffinityLoss;
import org.wsss.affinity.AffinityNets;
import org.wsss.affinity.DiscOffsets;
import org.wsss.seg.LossGradients;

class DisplacementLossTest {

    private static final ActivationIdentity IDENTITY = new ActivationIdentity();

    @Test
    void foregroundPairsPointToOneCentroidAndBackgroundPairsAgreeByHand() {
        // a 1x3 grid, radius 2: of the forward offsets (0, 1), (1, -1), (1, 0), (1, 1) only (0, 1) stays on it.
        // Pair (0, 1) is foreground, pair (1, 2) background. Field: dy = (a0, a1, a2), dx = (b0, b1, b2)
        DiscOffsets offsets = DiscOffsets.forwardHalf(2);
        assertEquals(4, offsets.size());
        double[] codes = new double[4 * 3];
        java.util.Arrays.fill(codes, AffinityLoss.DROPPED);
        codes[0] = AffinityLoss.FG_POSITIVE;
        codes[1] = AffinityLoss.BG_POSITIVE;
        double a0 = 0.3, a1 = -0.2, a2 = 0.9, b0 = 1.5, b1 = 0.1, b2 = -0.4;
        INDArray field = Nd4j.createFromArray(new double[][]{{a0, a1, a2, b0, b1, b2}});
        // foreground: D_0 - D_1 should be the offset (0, 1); background: D_1 - D_2 should be 0
        double fg = Math.abs(a0 - a1 - 0) + Math.abs(b0 - b1 - 1);
        double bg = Math.abs(a1 - a2) + Math.abs(b1 - b2);
        double expected = 0.5 * fg / 2 + 0.5 * bg / 2;
        DisplacementLoss loss = new DisplacementLoss(2, 3);
        assertEquals(expected, loss.computeScore(Nd4j.createFromArray(new double[][]{codes}), field, IDENTITY, null,
                false), 1e-12);
    }

    @Test
    void aFieldPointingEveryCellOfAnInstanceToItsCentroidScoresZero() {
        // a 5x5 grid: a 3x3 object (class 1) centred at (2, 2) on background; D = centroid - position inside it
        int side = 5;
        byte[] labels = new byte[side * side];
        double[] d = new double[2 * side * side];
        for (int y = 1; y <= 3; y++) {
            for (int x = 1; x <= 3; x++) {
                labels[y * side + x] = 1;
                d[y * side + x] = 2 - y;
                d[side * side + y * side + x] = 2 - x;
            }
        }
        float[] codes = AffinityNets.labelsFor(labels, side, side, 3);
        INDArray l = Nd4j.create(codes, new long[]{1, codes.length}).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        assertEquals(0, new DisplacementLoss(3, 0).computeScore(l, Nd4j.createFromArray(new double[][]{d}), IDENTITY,
                null, false), 1e-12);
        d[0] = 0.5; // a background cell displaced against its neighbours
        assertEquals(true, new DisplacementLoss(3, 0).computeScore(l, Nd4j.createFromArray(new double[][]{d}),
                IDENTITY, null, false) > 0);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random r = new Random(5);
        int h = 4;
        int w = 5;
        int radius = 3;
        double[][] codes = new double[2][];
        double[][] field = new double[2][2 * h * w];
        for (int n = 0; n < 2; n++) {
            byte[] labels = new byte[h * w];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) (r.nextInt(6) == 0 ? 255 : r.nextInt(3));
            }
            float[] c = AffinityNets.labelsFor(labels, h, w, radius);
            codes[n] = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                codes[n][i] = c[i];
            }
            for (int i = 0; i < field[n].length; i++) {
                field[n][i] = 3 * r.nextGaussian();
            }
        }
        LossGradients.assertMatchesCentralDifferences(new DisplacementLoss(radius, w), Nd4j.createFromArray(codes),
                Nd4j.createFromArray(field), IDENTITY, null);
    }

    @Test
    void settingsSurviveJsonAndMismatchedShapesAreNamed() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        DisplacementLoss f = new DisplacementLoss(10, 24);
        assertEquals(f, mapper.readValue(mapper.writeValueAsString(f), ILossFunction.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DisplacementLoss(2, 0)
                .computeScore(Nd4j.zeros(1, 8), Nd4j.zeros(1, 6), IDENTITY, null, false));
        assertEquals("DisplacementLoss: labels [1, 8] of 4 pair planes and field [1, 6] of 2 planes disagree",
                e.getMessage());
    }
}
