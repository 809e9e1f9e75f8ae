package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.data.ImageCodec;
import org.wsss.io.Npy;
import org.wsss.io.NpyArray;
import org.wsss.nn.weights.Safetensors;

/**
 * Forward equivalence with PyTorch on the committed fixture (resnet-fixture/make_fixture.py): a torchvision
 * ResNet with narrow stages [8, 16, 24, 32] x 4, blocks [1, 2, 2, 2], random weights and BatchNorm statistics,
 * three PNGs of odd sizes, and torchvision's float64 eval-mode logits at output stride 32, 16 and 8.
 * The tolerance is relative to the reference's largest magnitude: max |java - torch| / max |torch| <= 1e-4.
 */
class TorchResNetFixtureTest {

    static final Path FIXTURE = Path.of("src/test/resources/resnet-fixture");
    static final TorchResNet.Spec SPEC = new TorchResNet.Spec(16, new int[] {8, 16, 24, 32}, new int[] {1, 2, 2, 2});

    @Test
    void logitsMatchTorchvisionAtOutputStrides32And16And8() throws IOException {
        Map<String, INDArray> state = Safetensors.read(FIXTURE.resolve("weights.safetensors"));
        for (int os : new int[] {32, 16, 8}) {
            ComputationGraph net = TorchResNet.withLinearHead(SPEC, 10, os, 1);
            TorchWeights.Report report = TorchWeights.copy(state, net, true, "fixture");
            assertTrue(report.complete(), report.summary());
            NpyArray expected = Npy.read(FIXTURE.resolve("logits_os" + os + ".npy"));
            assertArrayEquals(new int[] {3, 10}, expected.shape());
            for (int i = 0; i < 3; i++) {
                float[] logits = net.outputSingle(false, image(i)).toFloatVector();
                float[] want = java.util.Arrays.copyOfRange(expected.data(), i * 10, i * 10 + 10);
                double rel = relativeDifference(logits, want);
                assertTrue(rel <= 1e-4, "output stride " + os + " image " + i + ": relative difference " + rel);
            }
        }
    }

    /** The first dilated stage at output stride 8: its first block keeps dilation 1, the second uses 2. */
    @Test
    void dilatedStageFeatureMapMatchesTorchvision() throws IOException {
        ComputationGraph net = TorchResNet.withLinearHead(SPEC, 10, 8, 1);
        TorchWeights.copy(Safetensors.read(FIXTURE.resolve("weights.safetensors")), net, true, "fixture");
        INDArray layer3 = net.feedForward(image(1), false).get(SPEC.stageOutput(3));
        NpyArray expected = Npy.read(FIXTURE.resolve("layer3_os8_img1.npy"));
        assertArrayEquals(new long[] {1, 96, 13, 8}, layer3.shape());
        assertArrayEquals(new int[] {1, 96, 13, 8}, expected.shape());
        double rel = relativeDifference(layer3.dup('c').data().asFloat(), expected.data());
        assertTrue(rel <= 1e-4, "layer3 at output stride 8: relative difference " + rel);
    }

    @Test
    void architectureIsReadFromTheCheckpoint() throws IOException {
        TorchWeights.Inferred inferred = TorchWeights.inferArchitecture(
                Safetensors.read(FIXTURE.resolve("weights.safetensors")), "fixture");
        assertEquals(SPEC, inferred.spec());
        assertEquals(10, inferred.numClasses());
    }

    @Test
    void dataParallelAndTimmKeysCopyTheSameWeights() throws IOException {
        Map<String, INDArray> state = Safetensors.read(FIXTURE.resolve("weights.safetensors"));
        Map<String, INDArray> prefixed = new LinkedHashMap<>();
        state.forEach((k, v) -> prefixed.put(k.startsWith("fc.") ? "module.head." + k : "module." + k, v));
        ComputationGraph net = TorchResNet.withLinearHead(SPEC, 10, 32, 1);
        TorchWeights.Report report = TorchWeights.copy(prefixed, net, true, "prefixed");
        // 26 convs (stem, 3 per block, 4 shortcuts), 26 BNs x 4 arrays, fc weight and bias
        int convs = 1 + 3 * 7 + 4;
        assertEquals(convs + 4 * convs + 2, report.copied().size(), report.summary());
        NpyArray expected = Npy.read(FIXTURE.resolve("logits_os32.npy"));
        float[] logits = net.outputSingle(false, image(0)).toFloatVector();
        assertTrue(relativeDifference(logits, java.util.Arrays.copyOf(expected.data(), 10)) <= 1e-4);
    }

    @Test
    void strictCopyRefusesAMissingKeyAndNamesIt() throws IOException {
        Map<String, INDArray> state = new LinkedHashMap<>(Safetensors.read(FIXTURE.resolve("weights.safetensors")));
        state.remove("layer3.1.bn2.running_var");
        ComputationGraph net = TorchResNet.withLinearHead(SPEC, 10, 32, 1);
        INDArray before = net.params().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchWeights.copy(state, net, true, "cut.safetensors"));
        assertTrue(e.getMessage().contains("layer3.1.bn2.running_var") && e.getMessage().contains("cut.safetensors")
                && e.getMessage().contains("model.pretrained-strict"), e.getMessage());
        assertEquals(before, net.params(), "a refused strict copy changes nothing");

        TorchWeights.Report lenient = TorchWeights.copy(state, net, false, "cut.safetensors");
        assertEquals(List.of("layer3.1.bn2/var (layer3.1.bn2.running_var)"), lenient.missing());
        assertTrue(lenient.mismatched().isEmpty() && lenient.unused().isEmpty());
    }

    @Test
    void strictCopyRefusesADeeperCheckpointAndAShapeMismatch() throws IOException {
        Map<String, INDArray> state = Safetensors.read(FIXTURE.resolve("weights.safetensors"));
        ComputationGraph shallower = TorchResNet.withLinearHead(
                new TorchResNet.Spec(16, new int[] {8, 16, 24, 32}, new int[] {1, 2, 1, 2}), 10, 32, 1);
        TorchWeights.Report extra = TorchWeights.copy(state, shallower, false, "fixture");
        assertTrue(extra.missing().isEmpty());
        // layer3.1's three convs and three BNs (4 arrays each; num_batches_tracked has no counterpart)
        assertEquals(3 + 3 * 4, extra.unused().size(), extra.summary());
        assertTrue(extra.unused().stream().allMatch(u -> u.startsWith("layer3.1.")), extra.summary());
        assertThrows(IllegalArgumentException.class, () -> TorchWeights.copy(state, shallower, true, "fixture"));

        ComputationGraph wider = TorchResNet.withLinearHead(
                new TorchResNet.Spec(16, new int[] {8, 16, 24, 40}, new int[] {1, 2, 2, 2}), 10, 32, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchWeights.copy(state, wider, true, "fixture"));
        assertTrue(e.getMessage().contains("layer4.0.conv1.weight (shape [32, 96, 1, 1] in the checkpoint, network "
                + "layer4.0.conv1/W needs [40, 96, 1, 1])"), e.getMessage());
    }

    /** The CAM classifier's head is new: the checkpoint's fc is reported, not copied, and strict mode accepts it. */
    @Test
    void classifierHeadIsNewAndTheBackboneIsComplete() throws IOException {
        Map<String, INDArray> state = Safetensors.read(FIXTURE.resolve("weights.safetensors"));
        ComputationGraph net = ClassifierNets.torchResnet(SPEC, 4, 16, 1, TrainingHyper.resnetDefaults());
        INDArray head = net.getLayer(ClassifierNets.SCORES).getParam("W").dup();
        TorchWeights.Report report = TorchWeights.copy(state, net, true, "fixture");
        assertEquals(List.of("fc.weight", "fc.bias"), report.headKeys());
        assertEquals(5 * (1 + 3 * 7 + 4), report.copied().size());
        assertEquals(head, net.getLayer(ClassifierNets.SCORES).getParam("W"));
        // in the loader's report the checkpoint's head is a source array not used, not a network parameter skipped
        assertTrue(report.toCopyReport().unused().contains("fc.weight (head: not copied (new layer))"));
        assertTrue(report.toCopyReport().skipped().isEmpty(), report.toCopyReport().skipped().toString());
        INDArray copied = net.getLayer("layer2.1.conv2").getParam("W");
        assertEquals(state.get("layer2.1.conv2.weight"), copied);
        assertEquals(state.get("fc.weight").transpose(),
                copyFc(state).getLayer("fc").getParam("W"), "a linear weight is transposed to DL4J's [in, out]");
    }

    private static ComputationGraph copyFc(Map<String, INDArray> state) {
        ComputationGraph net = TorchResNet.withLinearHead(SPEC, 10, 32, 1);
        TorchWeights.copy(state, net, true, "fixture");
        return net;
    }

    static INDArray image(int i) throws IOException {
        return ImageTensors.toInput(ImageCodec.decodeRgb(Files.readAllBytes(FIXTURE.resolve("img" + i + ".png"))));
    }

    static double relativeDifference(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length);
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / maxRef;
    }
}
