package org.wsss.nn.weights;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a damaged file is read or refused with an IllegalArgumentException, never another exception (a
 * ClassCastException, an index error, an OutOfMemoryError from a size it believed). Damage: 1 to 4 random bytes of
 * the safetensors header or of the pickle inside a .pth, from fixed seeds.
 */
class MutatedFilesTest {
    private static final int CASES = 250;

    @TempDir
    Path dir;

    private static void mutate(byte[] b, int from, int to, Random r) {
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            b[from + r.nextInt(to - from)] = (byte) r.nextInt(256);
        }
    }

    private static void readOrRefuse(Path f, String what) {
        try {
            WeightsFile.read(f);
        } catch (IllegalArgumentException expected) {
            // refused with a reason
        } catch (Throwable t) {
            fail(what + ": " + t, t);
        }
    }

    @Test
    void damagedSafetensorsHeaders() throws IOException {
        byte[] original = Files.readAllBytes(PytorchFixturesTest.fixture("tiny_net.safetensors"));
        int headerEnd = (int) Safetensors.readHeader(PytorchFixturesTest.fixture("tiny_net.safetensors"))
                .dataStart();
        Random r = new Random(13);
        for (int i = 0; i < CASES; i++) {
            byte[] b = original.clone();
            mutate(b, 0, headerEnd, r);
            Path f = Files.write(dir.resolve("m.safetensors"), b);
            readOrRefuse(f, "safetensors case " + i);
        }
    }

    @Test
    void damagedPickles() throws IOException {
        Path source = PytorchFixturesTest.fixture("tiny_net_checkpoint.pth");
        byte[] pickle;
        try (ZipFile z = new ZipFile(source.toFile())) {
            pickle = z.getInputStream(z.getEntry("tiny_net_checkpoint/data.pkl")).readAllBytes();
        }
        Random r = new Random(13);
        for (int i = 0; i < CASES; i++) {
            byte[] b = pickle.clone();
            mutate(b, 2, b.length, r);
            Path f = dir.resolve("m.pth");
            try (ZipFile in = new ZipFile(source.toFile());
                    ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(f))) {
                for (ZipEntry e : java.util.Collections.list(in.entries())) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(e.getName().endsWith("data.pkl") ? b : in.getInputStream(e).readAllBytes());
                    out.closeEntry();
                }
            }
            readOrRefuse(f, "pickle case " + i);
        }
    }
}
