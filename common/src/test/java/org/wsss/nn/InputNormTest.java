package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.data.RgbImage;

class InputNormTest {
    /** Two pixels: (R, G, B) = (10, 20, 30) and (255, 0, 128). */
    private static final RgbImage IMG = new RgbImage(2, 1, new byte[] {10, 20, 30, (byte) 255, 0, (byte) 128});

    /** Channel c of [1, 3, 1, 2] as {pixel 0, pixel 1}. */
    private static float[] channel(INDArray x, int c) {
        return new float[] {x.getFloat(0, c, 0, 0), x.getFloat(0, c, 0, 1)};
    }

    @Test
    void caffeIsBgrMinusTheBgrMeanIn0To255() {
        INDArray x = InputNorm.CAFFE.toInput(IMG);
        assertArrayEquals(new float[] {30 - 103.939f, 128 - 103.939f}, channel(x, 0), 1e-4f, "B");
        assertArrayEquals(new float[] {20 - 116.779f, 0 - 116.779f}, channel(x, 1), 1e-4f, "G");
        assertArrayEquals(new float[] {10 - 123.68f, 255 - 123.68f}, channel(x, 2), 1e-4f, "R");
    }

    @Test
    void torchvisionIsRgbOver255ThenImageNetMeanAndStd() {
        INDArray x = InputNorm.TORCHVISION.toInput(IMG);
        assertArrayEquals(new float[] {(10 / 255f - 0.485f) / 0.229f, (255 / 255f - 0.485f) / 0.229f},
                channel(x, 0), 1e-5f, "R");
        assertArrayEquals(new float[] {(20 / 255f - 0.456f) / 0.224f, (0 - 0.456f) / 0.224f}, channel(x, 1), 1e-5f);
        assertArrayEquals(new float[] {(30 / 255f - 0.406f) / 0.225f, (128 / 255f - 0.406f) / 0.225f},
                channel(x, 2), 1e-5f, "B");
        assertEquals(ImageTensors.toInput(IMG), x, "ImageTensors keeps the torchvision convention");
    }

    @Test
    void aModelSavedWithTheCaffeFamilyReadsBackAsCaffe() {
        ComputationGraph net = ClassifierNets.smallDilated(2, 1);
        byte[] caffe = ModelZip.toBytes(net, false, InputNorm.CAFFE);
        InputNorm back = ModelZip.inputNorm(caffe);
        assertEquals(InputNorm.CAFFE, back);
        assertEquals(net.params(), ModelZip.fromBytes(caffe, false).params(), "the record leaves the model readable");
        INDArray x = back.toBatch(List.of(IMG));
        assertEquals(30 - 103.939f, x.getFloat(0, 0, 0, 0), 1e-4f, "B of pixel 0 first");
        assertEquals(255 - 123.68f, x.getFloat(0, 2, 0, 1), 1e-4f, "R of pixel 1 last");
    }

    @Test
    void aZipWithoutTheRecordReadsAsTorchvision() {
        byte[] old = ModelZip.toBytes(ClassifierNets.smallDilated(2, 1), false);
        assertEquals(null, ModelZip.recordedInputNorm(old));
        assertEquals(InputNorm.TORCHVISION, ModelZip.inputNorm(old));
    }

    @Test
    void anUnknownFamilyNameIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputNorm.parse("bgr"));
        assertTrue(e.getMessage().contains("\"bgr\""), e.getMessage());
    }
}
