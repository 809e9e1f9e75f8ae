package org.wsss.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.weights.Safetensors;

/** `wsss doctor --weights FILE`: what a weights file holds, or one line and exit 2 for a bad one. */
class DoctorWeightsTest {
    @TempDir
    Path dir;

    private static void bn(Map<String, INDArray> sd, String name) {
        for (String p : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            sd.put(name + "." + p, Nd4j.ones(DataType.FLOAT, 2));
        }
        sd.put(name + ".num_batches_tracked", Nd4j.scalar(3f));
    }

    /**
     * torchvision's ResNet key set (Bottleneck blocks, downsample in each stage's block 0) with tiny shapes: every
     * tensor [2], except a stem conv1.weight [4, 3, 1, 1], fc 7 classes from 16 features and scalar counters.
     */
    private static Map<String, INDArray> resnetKeys(int... blocks) {
        Map<String, INDArray> sd = new LinkedHashMap<>();
        sd.put("conv1.weight", Nd4j.ones(DataType.FLOAT, 4, 3, 1, 1));
        bn(sd, "bn1");
        for (int stage = 1; stage <= 4; stage++) {
            for (int b = 0; b < blocks[stage - 1]; b++) {
                String p = "layer" + stage + "." + b;
                for (int c = 1; c <= 3; c++) {
                    sd.put(p + ".conv" + c + ".weight", Nd4j.ones(DataType.FLOAT, 2));
                    bn(sd, p + ".bn" + c);
                }
                if (b == 0) {
                    sd.put(p + ".downsample.0.weight", Nd4j.ones(DataType.FLOAT, 2));
                    bn(sd, p + ".downsample.1");
                }
            }
        }
        sd.put("fc.weight", Nd4j.ones(DataType.FLOAT, 7, 16));
        sd.put("fc.bias", Nd4j.ones(DataType.FLOAT, 7));
        return sd;
    }

    @Test
    void describesAResNet50StateDict() throws IOException {
        Path f = dir.resolve("r50.safetensors");
        Safetensors.write(f, resnetKeys(3, 4, 6, 3), Map.of());
        CliRun.Result r = CliRun.run("doctor", "--weights", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        // 16 blocks x (3 convs + 3 BN x 5 keys) + 4 downsamples x (1 + 5) + stem (1 + 5) + fc (2) = 320 tensors.
        // BN modules: 1 + 48 + 4 = 53, each 4 tensors of 2 values + 1 counter: 53 x 9 = 477 values, of which
        // running stats and counters 53 x 5 = 265; convs: 52 x 2 + 12 (stem); fc: 7 x 16 + 7 = 119.
        // Parameters: 477 - 265 + 104 + 12 + 119 = 447.
        assertTrue(r.out().contains("tensors         320\n"), r.out());
        assertTrue(r.out().contains("parameters      447 (plus 265 BatchNorm running statistics and counters)\n"),
                r.out());
        assertTrue(r.out().contains("dtypes          F32 x320\n"), r.out());
        assertTrue(r.out().contains("looks like      torchvision/timm ResNet-50 (bottleneck blocks 3-4-6-3, stem 4 "
                + "channels, fc 7 classes from 16 features)"), r.out());
    }

    @Test
    void tellsResNet101ByItsTwentyThreeThirdStageBlocks() throws IOException {
        Path f = dir.resolve("r101.safetensors");
        Safetensors.write(f, resnetKeys(3, 4, 23, 3), Map.of());
        CliRun.Result r = CliRun.run("doctor", "--weights", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ResNet-101 (bottleneck blocks 3-4-23-3"), r.out());
    }

    @Test
    void readsAPytorchFileAndSaysWhenItIsNoResNet() {
        // make_fixtures.py's tiny_net.pth: conv1 (4,3,3,3) + bn1 (4 x 4 + int64 counter) + fc (5,4)+(5).
        Path pth = Path.of("../common/src/test/resources/weights/tiny_net.pth").toAbsolutePath().normalize();
        CliRun.Result r = CliRun.run("doctor", "--weights", pth.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("(pytorch zip)"), r.out());
        assertTrue(r.out().contains("tensors         8\n"), r.out());
        assertTrue(r.out().contains("parameters      141 (plus 9 BatchNorm running statistics and counters)\n"),
                r.out());
        assertTrue(r.out().contains("dtypes          F32 x7, I64 x1\n"), r.out());
        assertTrue(r.out().contains("looks like      not a torchvision/timm ResNet"), r.out());
    }

    @Test
    void aTruncatedFileIsOneLineAndExitTwo() throws IOException {
        Path whole = dir.resolve("whole.safetensors");
        Safetensors.write(whole, resnetKeys(3, 4, 6, 3), Map.of());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 10));
        String message = CliRun.usageError("doctor", "doctor", "--weights", cut.toString());
        assertTrue(message.startsWith(cut + ": tensor fc.bias: data_offsets"), message);
        assertTrue(message.contains("outside the data area"), message);
    }

    @Test
    void aFileOfAnotherKindIsOneLineNamingTheAcceptedFormats() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.txt"), "just text");
        String message = CliRun.usageError("doctor", "doctor", "--weights", f.toString());
        assertTrue(message.startsWith(f + ": not a weights file"), message);
        assertTrue(message.contains("safetensors") && message.contains(".pth"), message);
        String missing = CliRun.usageError("doctor", "doctor", "--weights", dir.resolve("absent.pth").toString());
        assertTrue(missing.contains("absent.pth: no such file"), missing);
    }
}
