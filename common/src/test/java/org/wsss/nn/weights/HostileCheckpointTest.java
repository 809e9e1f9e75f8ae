package org.wsss.nn.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zips laid out as torch.save does, with a hand-assembled pickle for one tensor "w" whose numbers we choose. */
class HostileCheckpointTest {
    @TempDir
    Path dir;

    private static void str(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        p.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream p, long v) {
        p.write(0x8a); // LONG1 with 8 bytes
        p.write(8);
        p.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    private static void tuple(ByteArrayOutputStream p, long... values) {
        p.write('(');
        for (long v : values) {
            integer(p, v);
        }
        p.write('t');
    }

    /** {"w": _rebuild_tensor_v2(FloatStorage numel, offset, size, stride)} with storage record data/0 = data. */
    private Path checkpoint(long numel, long offset, long[] size, long[] stride, float[] data) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2, '}'});
        str(p, "w");
        p.writeBytes("ctorch._utils\n_rebuild_tensor_v2\n((".getBytes(StandardCharsets.US_ASCII));
        str(p, "storage");
        p.writeBytes("ctorch\nFloatStorage\n".getBytes(StandardCharsets.US_ASCII));
        str(p, "0");
        str(p, "cpu");
        integer(p, numel);
        p.writeBytes(new byte[] {'t', 'Q'});
        integer(p, offset);
        tuple(p, size);
        tuple(p, stride);
        p.writeBytes(new byte[] {(byte) 0x89, '}', 't', 'R', 's', '.'});

        ByteBuffer storage = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            storage.putFloat(v);
        }
        Path f = dir.resolve("c" + System.nanoTime() + ".pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("c/data.pkl"));
            z.write(p.toByteArray());
            z.putNextEntry(new ZipEntry("c/data/0"));
            z.write(storage.array());
            z.closeEntry();
        }
        return f;
    }

    private static String refusal(Path f) {
        return assertThrows(IllegalArgumentException.class, () -> WeightsFile.read(f)).getMessage();
    }

    @Test
    void theAssembledCheckpointReadsWhenItsNumbersAreHonest() throws IOException {
        Path f = checkpoint(6, 2, new long[] {2, 2}, new long[] {2, 1}, new float[] {0, 1, 2, 3, 4, 5});
        assertArrayEquals(new float[] {2, 3, 4, 5}, WeightsFile.read(f).get("w").reshape(4).toFloatVector());
    }

    @Test
    void anOffsetNearLongMaxIsRefusedNotWrappedAround() throws IOException {
        String m = refusal(checkpoint(6, Long.MAX_VALUE - 1, new long[] {2}, new long[] {1}, new float[6]));
        assertTrue(m.contains("does not fit its storage of 6 elements"), m);
    }

    @Test
    void aHugeDeclaredShapeIsRefusedBeforeAllocating() throws IOException {
        String m = refusal(checkpoint(6, 0, new long[] {1L << 20, 1L << 20}, new long[] {1L << 20, 1}, new float[6]));
        assertTrue(m.contains("does not fit its storage"), m);
        m = refusal(checkpoint(Long.MAX_VALUE, 0, new long[] {6}, new long[] {1}, new float[6]));
        assertTrue(m.contains("data/0 has 24 bytes, but the pickle declares " + Long.MAX_VALUE), m);
    }

    @Test
    void aStorageRecordThatIsMissingIsNamed() throws IOException {
        Path f = checkpoint(6, 0, new long[] {6}, new long[] {1}, new float[6]);
        Path renamed = dir.resolve("renamed.pth");
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(f.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(renamed))) {
            out.putNextEntry(new ZipEntry("c/data.pkl"));
            out.write(in.getInputStream(in.getEntry("c/data.pkl")).readAllBytes());
            out.closeEntry();
        }
        String m = refusal(renamed);
        assertTrue(m.contains("storage record data/0 is missing"), m);
    }
}
