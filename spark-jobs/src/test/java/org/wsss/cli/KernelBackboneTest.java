package org.wsss.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.io.Npy;
import org.wsss.io.NpyArray;

/**
 * `wsss kernel backbone` end to end on the committed PyTorch fixture (common's resnet-fixture, made by its
 * make_fixture.py), read from the .pth and from the safetensors file: the logits it writes for a PNG match torchvision's within 1e-4 of their largest magnitude,
 * and bad arguments are one-line exit-2 errors that write nothing.
 */
class KernelBackboneTest {

    private static final Path FIXTURE = Path.of("../common/src/test/resources/resnet-fixture");

    @TempDir
    Path dir;

    @Test
    void logitsOfAFixtureImageMatchPyTorchAtOutputStrides32And8() throws Exception {
        for (int os : new int[] {32, 8}) {
            Path out = dir.resolve("logits" + os + ".npy");
            // the same state_dict as safetensors and as torch.save's .pth
            String weights = os == 32 ? "weights.pth" : "weights.safetensors";
            CliRun.Result r = CliRun.run("kernel", "backbone", "--weights", FIXTURE.resolve(weights)
                    .toString(), "--image", FIXTURE.resolve("img1.png").toString(), "--out", out.toString(),
                    "--output-stride", Integer.toString(os));
            assertEquals(0, r.exitCode(), r.err());
            NpyArray got = Npy.read(out);
            assertArrayEquals(new int[] {1, 10}, got.shape());
            float[] want = Arrays.copyOfRange(Npy.read(FIXTURE.resolve("logits_os" + os + ".npy")).data(), 10, 20);
            double maxDiff = 0;
            double maxRef = 0;
            for (int i = 0; i < 10; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(got.data()[i] - want[i]));
                maxRef = Math.max(maxRef, Math.abs(want[i]));
            }
            assertTrue(maxDiff / maxRef <= 1e-4, "output stride " + os + ": relative difference " + maxDiff / maxRef);
        }
    }

    @Test
    void wrongArchitectureMissingFilesAndBadOptionsAreOneLineErrors() throws Exception {
        String weights = FIXTURE.resolve("weights.safetensors").toString();
        String img = FIXTURE.resolve("img0.png").toString();
        Path out = dir.resolve("o.npy");
        String arch = CliRun.usageError("backbone", "kernel", "backbone", "--weights", weights, "--image", img,
                "--out", out.toString(), "--arch", "resnet50");
        assertTrue(arch.contains("blocks [1, 2, 2, 2]") && arch.contains("not --arch resnet50"), arch);
        String unknown = CliRun.usageError("backbone", "kernel", "backbone", "--weights", weights, "--image", img,
                "--out", out.toString(), "--arch", "vgg16");
        assertEquals("--arch vgg16: expected resnet50 or resnet101", unknown);
        Path notWeights = Files.writeString(dir.resolve("w.safetensors"), "not a safetensors file");
        String bad = CliRun.usageError("backbone", "kernel", "backbone", "--weights", notWeights.toString(),
                "--image", img, "--out", out.toString());
        assertTrue(bad.startsWith("--weights " + notWeights + ": "), bad);
        String noImage = CliRun.usageError("backbone", "kernel", "backbone", "--weights", weights, "--image",
                dir.resolve("none.png").toString(), "--out", out.toString());
        assertEquals("--image " + dir.resolve("none.png") + ": no such file", noImage);
        String stride = CliRun.usageError("backbone", "kernel", "backbone", "--weights", weights, "--image", img,
                "--out", out.toString(), "--output-stride", "4");
        assertEquals("--output-stride 4: expected 32, 16 or 8", stride);
        assertFalse(Files.exists(out), "nothing written");
    }
}
