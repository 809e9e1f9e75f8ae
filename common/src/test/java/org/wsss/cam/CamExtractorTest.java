package org.wsss.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.data.RgbImage;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.ImageTensors;

class CamExtractorTest {
    private static final int C = 6;
    private static ComputationGraph net;
    private static CamExtractor extractor;

    @BeforeAll
    static void buildNet() {
        net = ClassifierNets.smallDilated(C, 11);
        extractor = new CamExtractor(net);
    }

    private static RgbImage noise(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) r.nextInt(256);
        }
        return new RgbImage(w, h, rgb);
    }

    /** ReLU(W_c . f) by loops over the feature activations and the head's weights, classes 1..C. */
    private static float[][] referenceCams(RgbImage img, int[] classes) {
        INDArray f = net.feedForward(ImageTensors.toInput(img), false).get(ClassifierNets.FEATURES);
        INDArray w = net.getLayer(ClassifierNets.SCORES).getParam("W");
        int channels = (int) f.size(1);
        int h = (int) f.size(2);
        int wd = (int) f.size(3);
        float[][] cams = new float[classes.length][h * wd];
        for (int k = 0; k < classes.length; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    double s = 0;
                    for (int ch = 0; ch < channels; ch++) {
                        s += w.getDouble(ch, classes[k] - 1) * f.getDouble(0, ch, y, x);
                    }
                    cams[k][y * wd + x] = (float) Math.max(s, 0);
                }
            }
        }
        return cams;
    }

    private static float[] normalised(float[] map) {
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        float[] out = map.clone();
        for (int i = 0; i < out.length && max > 0; i++) {
            out[i] /= max;
        }
        return out;
    }

    @Test
    void singleScaleCamIsTheNormalisedReluOfTheClassWeightsTimesFeatures() {
        RgbImage img = noise(64, 48, 1);
        int[] classes = {2, 5, 1};
        CamResult r = extractor.compute(img, classes, new double[] {1.0}, false, 0.5);
        assertArrayEquals(classes, r.classes());
        assertEquals(6, r.gridH());
        assertEquals(8, r.gridW());
        assertEquals(8, r.stride());
        float[][] ref = referenceCams(img, classes);
        for (int k = 0; k < classes.length; k++) {
            assertArrayEquals(normalised(ref[k]), r.map(k), 1e-4f, "class " + classes[k]);
        }
        float[] scores = net.outputSingle(ImageTensors.toInput(img)).toFloatVector();
        assertArrayEquals(scores, r.scores(), 1e-5f);
    }

    @Test
    void twoScalesAddTheHalvedCamOfTheDoubledImage() {
        // At scale 2 the feature grid is twice as fine; resizing it back by a factor 2 with pixel-centre
        // bilinear sampling is exactly the mean of each 2x2 block.
        RgbImage img = noise(64, 64, 2);
        int[] classes = {3, 4};
        CamResult r = extractor.compute(img, classes, new double[] {1.0, 2.0}, false, 0.5);
        float[][] one = referenceCams(img, classes);
        float[][] two = referenceCams(ImageTensors.resize(img, 128, 128), classes);
        for (int k = 0; k < classes.length; k++) {
            float[] sum = new float[64];
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    float block = two[k][(2 * y) * 16 + 2 * x] + two[k][(2 * y) * 16 + 2 * x + 1]
                            + two[k][(2 * y + 1) * 16 + 2 * x] + two[k][(2 * y + 1) * 16 + 2 * x + 1];
                    sum[y * 8 + x] = one[k][y * 8 + x] + block / 4;
                }
            }
            assertArrayEquals(normalised(sum), r.map(k), 1e-4f, "class " + classes[k]);
        }
    }

    @Test
    void flipAugmentedCamOfAMirrorSymmetricImageIsMirrorSymmetric() {
        RgbImage half = noise(32, 64, 3);
        byte[] rgb = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 32; x++) {
                System.arraycopy(half.rgb(), (y * 32 + x) * 3, rgb, (y * 64 + x) * 3, 3);
                System.arraycopy(half.rgb(), (y * 32 + x) * 3, rgb, (y * 64 + 63 - x) * 3, 3);
            }
        }
        int[] all = IntStream.rangeClosed(1, C).toArray();
        CamResult r = extractor.compute(new RgbImage(64, 64, rgb), all, new double[] {1.0, 0.5}, true, 0.5);
        for (int k = 0; k < C; k++) {
            for (int y = 0; y < r.gridH(); y++) {
                for (int x = 0; x < r.gridW(); x++) {
                    assertEquals(r.value(k, y, r.gridW() - 1 - x), r.value(k, y, x), 1e-5, "class " + (k + 1));
                }
            }
        }
        // Without flip the same net is not symmetric (DL4J pads "same" convolutions on the bottom/right).
        CamResult plain = extractor.compute(new RgbImage(64, 64, rgb), all, new double[] {1.0}, false, 0.5);
        boolean asymmetric = false;
        for (int k = 0; k < C; k++) {
            for (int x = 0; x < 4; x++) {
                asymmetric |= Math.abs(plain.value(k, 3, x) - plain.value(k, 3, 7 - x)) > 1e-3;
            }
        }
        assertTrue(asymmetric, "the symmetry above comes from the flip, not from the net");
    }

    @Test
    void multiScaleMapsLieOnTheScaleOneGridWithMaxOnePerClass() {
        int[] classes = {1, 6};
        CamResult r = extractor.compute(noise(72, 56, 4), classes, new double[] {1.0, 0.5, 1.5, 2.0}, true, 0.5);
        assertEquals(7, r.gridH());
        assertEquals(9, r.gridW());
        assertEquals(2 * 7 * 9, r.maps().length);
        assertEquals(C, r.scores().length);
        for (int k = 0; k < classes.length; k++) {
            float[] m = r.map(k);
            float max = 0;
            for (float v : m) {
                assertTrue(v >= 0 && v <= 1, "value " + v);
                max = Math.max(max, v);
            }
            assertTrue(max == 0f || max == 1f, "max " + max);
        }
    }

    @Test
    void predictedClassesAreUsedWhenTheImageHasNoLabels() {
        RgbImage img = noise(48, 48, 5);
        float[] scores = net.outputSingle(ImageTensors.toInput(img)).toFloatVector();
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        double threshold = (sorted[C - 2] + sorted[C - 3]) / 2.0; // between the 2nd and 3rd best
        int[] expected = IntStream.range(0, C).filter(i -> scores[i] > threshold).map(i -> i + 1).toArray();
        assertEquals(2, expected.length);
        CamResult r = extractor.compute(img, new int[0], new double[] {1.0}, false, threshold);
        assertArrayEquals(expected, r.classes());
        assertEquals(2 * 36, r.maps().length);

        CamResult none = extractor.compute(img, new int[0], new double[] {1.0}, true, 1.0);
        assertEquals(0, none.classes().length);
        assertEquals(0, none.maps().length);
        assertEquals(6, none.gridH());
    }

    @Test
    void aClassWithNoPositiveEvidenceKeepsAnAllZeroMap() {
        ComputationGraph own = ClassifierNets.smallDilated(C, 12);
        // Features are ReLU outputs (>= 0), so all-negative weights give W.f <= 0 everywhere.
        own.getLayer(ClassifierNets.SCORES).getParam("W").getColumn(2).assign(-1);
        CamResult r = new CamExtractor(own).compute(noise(40, 40, 6), new int[] {3, 1}, new double[] {1.0, 0.5},
                true, 0.5);
        for (float v : r.map(0)) {
            assertEquals(0f, v);
        }
        float max = 0;
        for (float v : r.map(1)) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    @Test
    void rejectsClassesOutsideOneToC() {
        RgbImage img = noise(16, 16, 7);
        assertThrows(IllegalArgumentException.class,
                () -> extractor.compute(img, new int[] {0}, new double[] {1.0}, false, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> extractor.compute(img, new int[] {C + 1}, new double[] {1.0}, false, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> extractor.compute(img, new int[] {1}, new double[] {0.0}, false, 0.5));
    }

    /** A classifier trained on Caffe-style input gets it: its scale-1 scores are the net's on the Caffe tensor. */
    @Test
    void camsOfACaffeModelFeedCaffeNormalisedInput() {
        RgbImage img = noise(40, 32, 9);
        CamResult caffe = new CamExtractor(net, org.wsss.nn.InputNorm.CAFFE).compute(img, new int[] {1},
                new double[] {1.0}, false, 0.5);
        float[] expected = net.outputSingle(org.wsss.nn.InputNorm.CAFFE.toInput(img)).toFloatVector();
        float[] torchvision = net.outputSingle(ImageTensors.toInput(img)).toFloatVector();
        assertArrayEquals(expected, caffe.scores(), 1e-5f);
        assertTrue(Math.abs(expected[0] - torchvision[0]) > 1e-3, "the two conventions score differently");
    }
}
