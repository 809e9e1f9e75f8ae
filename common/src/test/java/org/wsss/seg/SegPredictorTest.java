package org.wsss.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.TrainingHyper;

class SegPredictorTest {

    private static ComputationGraph net;
    private static final int K = 3;

    @BeforeAll
    static void buildNet() {
        net = SegNets.small(2, 11, TrainingHyper.smallNetDefaults());
    }

    private static RgbImage randomImage(int w, int h, long seed, boolean mirrored) {
        Random random = new Random(seed);
        byte[] rgb = new byte[w * h * 3];
        random.nextBytes(rgb);
        if (mirrored) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w / 2; x++) {
                    System.arraycopy(rgb, (y * w + x) * 3, rgb, (y * w + w - 1 - x) * 3, 3);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static double maxMirrorGap(float[] probs, int h, int w) {
        double gap = 0;
        for (int row = 0; row < K * h; row++) {
            for (int x = 0; x < w; x++) {
                gap = Math.max(gap, Math.abs(probs[row * w + x] - probs[row * w + w - 1 - x]));
            }
        }
        return gap;
    }

    @Test
    void withFlipTheOutputOfAMirrorSymmetricImageIsMirrorSymmetric() {
        RgbImage image = randomImage(40, 24, 1, true);
        float[] withFlip = SegPredictor.predict(net, image, new double[]{0.5, 1, 2}, true);
        assertTrue(maxMirrorGap(withFlip, 24, 40) < 1e-5, "gap " + maxMirrorGap(withFlip, 24, 40));
        // the net alone is not mirror-equivariant, so the property is the flip averaging's doing
        float[] withoutFlip = SegPredictor.predict(net, image, new double[]{0.5, 1, 2}, false);
        assertTrue(maxMirrorGap(withoutFlip, 24, 40) > 1e-3, "gap " + maxMirrorGap(withoutFlip, 24, 40));
    }

    @Test
    void withFlipPredictingAMirroredImageMirrorsThePrediction() {
        RgbImage image = randomImage(36, 20, 2, false);
        float[] direct = SegPredictor.predict(net, image, new double[]{1, 1.5}, true);
        float[] ofMirror = SegPredictor.predict(net, ImageTensors.flipHorizontal(image), new double[]{1, 1.5}, true);
        float[] expected = ImageTensors.flipMapsHorizontal(direct, K, 20, 36);
        // not exact: resizing to 1.5x rounds to 8 bits, and a mirrored image can round a pixel the other way
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], ofMirror[i], 1e-4, "index " + i);
        }
    }

    @Test
    void everyScaleComesBackAtImageSizeAndScalesAreAveraged() {
        RgbImage image = randomImage(30, 22, 3, false);
        double[] scales = {0.5, 1, 2};
        float[] all = SegPredictor.predict(net, image, scales, false);
        assertEquals(K * 22 * 30, all.length);
        float[][] each = new float[3][];
        for (int s = 0; s < 3; s++) {
            each[s] = SegPredictor.predict(net, image, new double[]{scales[s]}, false);
            assertEquals(K * 22 * 30, each[s].length);
        }
        for (int i = 0; i < all.length; i++) {
            assertEquals((each[0][i] + each[1][i] + each[2][i]) / 3, all[i], 1e-6);
        }
        for (int p = 0; p < 22 * 30; p++) {
            assertEquals(1.0, all[p] + all[22 * 30 + p] + all[2 * 22 * 30 + p], 1e-5, "probabilities sum to 1");
        }
    }

    @Test
    void scaleOneWithoutFlipIsTheSoftmaxOfTheUpsampledLogits() {
        RgbImage image = randomImage(40, 48, 4, false);
        float[] probs = SegPredictor.predict(net, image, new double[]{1}, false);
        Map<String, INDArray> acts = net.feedForward(new INDArray[]{ImageTensors.toInput(image)}, false);
        INDArray logits = acts.get(SegNets.LOGITS);
        assertArrayEquals(new long[]{1, K, 6, 5}, logits.shape());
        float[] grid = logits.dup('c').reshape(logits.length()).toFloatVector();
        float[] up = ImageTensors.resizeMaps(grid, K, 6, 5, 48, 40);
        assertSoftmaxPerPixel(up, probs);
    }

    private static void assertSoftmaxPerPixel(float[] logits, float[] probs) {
        int cells = logits.length / K;
        for (int p = 0; p < cells; p++) {
            double total = 0;
            for (int c = 0; c < K; c++) {
                total += Math.exp(logits[c * cells + p]);
            }
            for (int c = 0; c < K; c++) {
                assertEquals(Math.exp(logits[c * cells + p]) / total, probs[c * cells + p], 1e-5, "pixel " + p);
            }
        }
    }

    /**
     * A decoder net needs sides that are multiples of 8: a 30 x 22 image is scored as the 32 x 24 image with black
     * below and right (built here by hand), and the 8 x 6 stride-4 cells over the image are upsampled to it.
     */
    @Test
    void imagesOfAnySizeArePaddedToTheDecodersMultipleAndCroppedBack() {
        ComputationGraph decoderNet = SegNets.small(2, 4, 12, TrainingHyper.smallNetDefaults());
        RgbImage image = randomImage(30, 22, 5, false);
        float[] probs = SegPredictor.predict(decoderNet, image, new double[]{1}, false);
        byte[] padded = new byte[32 * 24 * 3];
        for (int y = 0; y < 22; y++) {
            System.arraycopy(image.rgb(), y * 30 * 3, padded, y * 32 * 3, 30 * 3);
        }
        INDArray logits = decoderNet.feedForward(new INDArray[]{ImageTensors.toInput(new RgbImage(32, 24, padded))},
                false).get(SegNets.LOGITS);
        assertArrayEquals(new long[]{1, K, 6, 8}, logits.shape());
        float[] grid = new float[K * 6 * 8];
        for (int c = 0; c < K; c++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 8; x++) {
                    grid[(c * 6 + y) * 8 + x] = logits.getFloat(0, c, y, x);
                }
            }
        }
        float[] up = ImageTensors.resizeMaps(grid, K, 6, 8, 22, 30);
        assertSoftmaxPerPixel(up, probs);
        int cells = 22 * 30;
        // with flip and scales that give odd sizes (15 x 11, 45 x 33) it still comes back at image size
        float[] tta = SegPredictor.predict(decoderNet, image, new double[]{0.5, 1, 1.5}, true);
        assertEquals(K * cells, tta.length);
        for (int p = 0; p < cells; p++) {
            assertEquals(1.0, tta[p] + tta[cells + p] + tta[2 * cells + p], 1e-5);
        }
    }

    @Test
    void argmaxPicksTheMostProbableClassPerPixel() {
        float[] probs = {
                0.2f, 0.5f, 0.1f,
                0.7f, 0.1f, 0.1f,
                0.1f, 0.4f, 0.8f};
        assertArrayEquals(new byte[]{1, 0, 2}, SegPredictor.argmax(probs, 3, 1, 3));
    }
}
