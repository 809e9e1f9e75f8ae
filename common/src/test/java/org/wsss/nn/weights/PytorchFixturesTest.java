package org.wsss.nn.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads files written by real PyTorch and safetensors (see resources/weights/make_fixtures.py). */
class PytorchFixturesTest {
    private static final List<String> TINY_NET_KEYS = List.of("conv1.weight", "bn1.weight", "bn1.bias",
            "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "fc.weight", "fc.bias");

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(PytorchFixturesTest.class.getResource("/weights/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Values PyTorch printed for this fixture (make_fixtures.py's seed 13), as exact float32 bit patterns. */
    private static void assertTinyNet(Map<String, INDArray> t) {
        assertEquals(Set.copyOf(TINY_NET_KEYS), t.keySet());
        assertArrayEquals(new long[] {4, 3, 3, 3}, t.get("conv1.weight").shape());
        assertArrayEquals(new long[] {5, 4}, t.get("fc.weight").shape());
        assertEquals(0, t.get("bn1.num_batches_tracked").rank());
        assertEquals(1f, t.get("bn1.num_batches_tracked").getFloat(0));
        assertEquals((float) -0x1.ca81f4p-5, t.get("conv1.weight").getFloat(3, 2, 1, 0));
        assertEquals((float) 0x1.daca02p-1, t.get("bn1.running_var").getFloat(3));
        assertEquals((float) 0x1.a97860p-4, t.get("fc.bias").getFloat(4));
    }

    @Test
    void safetensorsWrittenBySafetensorsPackage() throws IOException {
        Path f = fixture("tiny_net.safetensors");
        assertTinyNet(Safetensors.read(f));
        assertEquals(Map.of("made_by", "make_fixtures.py"), Safetensors.readHeader(f).metadata());
    }

    @Test
    void pthStateDictMatchesTheSafetensorsCopyExactlyAndKeepsTheStateDictOrder() throws IOException {
        LinkedHashMap<String, INDArray> pth = PytorchCheckpoint.read(fixture("tiny_net.pth"));
        assertEquals(TINY_NET_KEYS, List.copyOf(pth.keySet()));
        assertTinyNet(pth);
        LinkedHashMap<String, INDArray> st = Safetensors.read(fixture("tiny_net.safetensors"));
        for (String k : TINY_NET_KEYS) {
            assertEquals(st.get(k), pth.get(k), k);
        }
    }

    @Test
    void checkpointWrappingTheStateDictIsUnwrapped() throws IOException {
        LinkedHashMap<String, INDArray> t = PytorchCheckpoint.read(fixture("tiny_net_checkpoint.pth"));
        assertEquals(TINY_NET_KEYS, List.copyOf(t.keySet()));
        assertTinyNet(t);
    }

    private static void assertRamp(INDArray a, long... shape) {
        assertArrayEquals(shape, a.shape());
        float[] v = a.reshape(a.length()).toFloatVector();
        for (int i = 0; i < v.length; i++) {
            assertEquals((i - 4) * 0.25f, v[i], "element " + i);
        }
    }

    @Test
    void halfAndBfloat16FromBothFormats() throws IOException {
        for (String name : List.of("dtypes.safetensors", "dtypes.pth")) {
            Map<String, INDArray> t = WeightsFile.read(fixture(name));
            assertRamp(t.get("f32"), 2, 4);
            assertRamp(t.get("f16"), 8);
            assertRamp(t.get("bf16"), 3, 2);
        }
    }

    @Test
    void pthViewsParametersAndScalars() throws IOException {
        Map<String, INDArray> t = PytorchCheckpoint.read(fixture("dtypes.pth"));
        // base[2] of arange(24).reshape(4, 6): storage offset 12.
        assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17}, t.get("row2").toFloatVector());
        assertArrayEquals(new float[] {0, 1, 2}, t.get("param").toFloatVector());
        assertEquals(0, t.get("scalar").rank());
        assertEquals(2.5f, t.get("scalar").getFloat(0));
    }

    private static void assertRefusedWithConversion(Path f, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightsFile.read(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), m);
        assertTrue(m.contains(reason), "expected '" + reason + "' in: " + m);
        assertTrue(m.contains("python -c \"import torch; from safetensors.torch import save_file; sd = torch.load('"
                + f + "'"), m);
        assertTrue(m.contains(f.resolveSibling(f.getFileName().toString().replace(".pth", ".safetensors"))
                .toString()), m);
    }

    @Test
    void nonContiguousTensorIsRefused() {
        assertRefusedWithConversion(fixture("transposed.pth"), "tensor t is not contiguous (size [3, 2], stride [1, 3])");
    }

    @Test
    void arbitraryPythonObjectsAreRefusedWithoutRunningThem() {
        assertRefusedWithConversion(fixture("namespace.pth"), "argparse.Namespace");
        assertRefusedWithConversion(fixture("module.pth"), "torch.nn.modules.linear.Linear");
    }

    @Test
    void preZipFormatIsRefused() {
        assertRefusedWithConversion(fixture("legacy.pth"), "pre-1.6 torch.save format");
    }

    @Test
    void truncatedStorageIsReported() throws IOException {
        // Rewrite tiny_net.pth with one storage record cut short; the zip itself stays valid.
        Path cut = dir.resolve("cut.pth");
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(fixture("tiny_net.pth").toFile());
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(cut))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("/data/0")) {
                    b = java.util.Arrays.copyOf(b, b.length - 4);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightsFile.read(cut));
        assertTrue(e.getMessage().contains("data/0 has 428 bytes, but the pickle declares 108 F32 elements"),
                e.getMessage());
    }

    @Test
    void otherFilesNameTheAcceptedFormats() throws IOException {
        Path f = dir.resolve("weights.bin");
        Files.write(f, "hello, not weights".getBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightsFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("safetensors") && e.getMessage().contains(".pth"), e.getMessage());

        Path zip = dir.resolve("other.zip");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("configuration.json"));
            out.write("{}".getBytes());
            out.closeEntry();
        }
        IllegalArgumentException z = assertThrows(IllegalArgumentException.class, () -> WeightsFile.read(zip));
        assertTrue(z.getMessage().contains("not a PyTorch checkpoint"), z.getMessage());
    }

    @Test
    void detectsByContentNotName() throws IOException {
        Path renamed = dir.resolve("weights.pth");
        Files.copy(fixture("tiny_net.safetensors"), renamed);
        assertEquals(WeightsFile.Format.SAFETENSORS, WeightsFile.detect(renamed));
        assertTinyNet(WeightsFile.read(renamed));
        assertEquals(WeightsFile.Format.PYTORCH_ZIP, WeightsFile.detect(fixture("tiny_net.pth")));
    }
}
