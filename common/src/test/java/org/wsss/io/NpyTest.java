package org.wsss.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class NpyTest {
    @TempDir
    Path dir;

    /** A .npy v1.0 file built by hand from the spec: magic, version, LE header length, padded dict, data. */
    private static byte[] npyV1(String dict, byte[] data) {
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        buf.putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        buf.put(data);
        return buf.array();
    }

    private static byte[] littleEndian(int itemSize, double... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * itemSize).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (itemSize) {
                case 4 -> buf.putFloat((float) v);
                case 8 -> buf.putDouble(v);
                default -> throw new IllegalArgumentException();
            }
        }
        return buf.array();
    }

    @Test
    void writesExactlyTheBytesOfTheSpec() throws IOException {
        Path file = dir.resolve("a.npy");
        float[] data = {0f, 1f, 2.5f, -3f, 4f, 1e-8f};
        Npy.write(file, new int[]{2, 3}, data);
        // 10 bytes prefix + 59 bytes dict + 58 spaces + '\n' = 128 = 2 * 64; header length 118 = 'v',
        // as in numpy 2.x's np.save output for this shape
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertEquals(59, dict.length());
        byte[] expected = npyV1(dict, littleEndian(4, 0, 1, 2.5, -3, 4, 1e-8));
        assertEquals(128 + 24, expected.length);
        assertEquals('v', expected[8]);
        assertEquals(0, expected[9]);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void writesOneDimensionalAndScalarShapesAsPythonTuples() throws IOException {
        Path vector = dir.resolve("v.npy");
        Npy.write(vector, new int[]{3}, new float[]{1, 2, 3});
        assertArrayEquals(npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                littleEndian(4, 1, 2, 3)), Files.readAllBytes(vector));
        Path scalar = dir.resolve("s.npy");
        Npy.write(scalar, new int[]{}, new float[]{7});
        assertArrayEquals(npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                littleEndian(4, 7)), Files.readAllBytes(scalar));
    }

    @Test
    void readsHandBuiltFilesOfEachSupportedDtype() throws IOException {
        NpyArray f4 = Npy.read(new ByteArrayInputStream(npyV1(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2), }", littleEndian(4, 1.5, -2, 0, 9))));
        assertArrayEquals(new int[]{1, 2, 2}, f4.shape());
        assertArrayEquals(new float[]{1.5f, -2f, 0f, 9f}, f4.data());

        NpyArray f8 = Npy.read(new ByteArrayInputStream(npyV1(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", littleEndian(8, 0.1, -1e10))));
        assertArrayEquals(new float[]{0.1f, -1e10f}, f8.data());

        ByteBuffer ints = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).putInt(0).putInt(70000);
        NpyArray i4 = Npy.read(new ByteArrayInputStream(npyV1(
                "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", ints.array())));
        assertArrayEquals(new float[]{-5f, 0f, 70000f}, i4.data());

        NpyArray u1 = Npy.read(new ByteArrayInputStream(npyV1(
                "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", new byte[]{0, 1, (byte) 200, (byte) 255})));
        assertArrayEquals(new int[]{2, 2}, u1.shape());
        assertArrayEquals(new float[]{0f, 1f, 200f, 255f}, u1.data());
    }

    @Test
    void readsVersionTwoHeaders() throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        int pad = (64 - (12 + header.length() + 1) % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(12 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII)).putFloat(3f).putFloat(-4f);
        NpyArray a = Npy.read(new ByteArrayInputStream(buf.array()));
        assertArrayEquals(new float[]{3f, -4f}, a.data());
    }

    @Test
    void writeThenReadRoundTripsLargeArray() throws IOException {
        int n = 3 * 50_001; // spans several internal chunks
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) Math.sin(i) * i;
        }
        Path file = dir.resolve("big.npy");
        Npy.write(file, new int[]{3, 50_001}, data);
        NpyArray back = Npy.read(file);
        assertArrayEquals(new int[]{3, 50_001}, back.shape());
        assertArrayEquals(data, back.data());
    }

    @Test
    void errorsNameTheFileAndTheReason() throws IOException {
        Path fortran = dir.resolve("fortran.npy");
        Files.write(fortran, npyV1("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]));
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Npy.read(fortran));
        assertTrue(f.getMessage().contains(fortran.toString()) && f.getMessage().contains("fortran_order"), f.getMessage());

        Path magic = dir.resolve("magic.npy");
        Files.write(magic, "PK\u0003\u0004 not numpy".getBytes(StandardCharsets.ISO_8859_1));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> Npy.read(magic));
        assertTrue(m.getMessage().contains(magic.toString()) && m.getMessage().contains("bad magic"), m.getMessage());

        Path dtype = dir.resolve("dtype.npy");
        Files.write(dtype, npyV1("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> Npy.read(dtype));
        assertTrue(d.getMessage().contains(dtype.toString()) && d.getMessage().contains("unsupported dtype '>f4'"),
                d.getMessage());

        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[6]));
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> Npy.read(truncated));
        assertTrue(t.getMessage().contains(truncated.toString()) && t.getMessage().contains("truncated"), t.getMessage());

        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("x.npy"), new int[]{2, 2}, new float[3]));
    }

    @Test
    void aFileIsCheckedAgainstItsDeclaredShapeBeforeAnythingIsAllocated() throws IOException {
        // 134 bytes declaring 3 * 30000 * 20000 float32: 7.2 GB would be allocated before the data was missed
        Path bomb = dir.resolve("bomb.npy");
        Files.write(bomb, npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 30000, 20000), }", new byte[6]));
        assertEquals(134, Files.size(bomb));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(bomb));
        assertEquals(bomb + ": declared shape (3, 30000, 20000) of '<f4' needs 7200000000 data bytes, 7200000128 "
                + "bytes with the 128-byte header, but the file has 134 bytes (truncated)", e.getMessage());
        // float64 doubles the bytes per element; a 1-d shape prints as numpy does
        Path f8 = dir.resolve("f8.npy");
        Files.write(f8, npyV1("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", new byte[25]));
        assertEquals(f8 + ": declared shape (3,) of '<f8' needs 24 data bytes, 152 bytes with the 128-byte header, "
                + "but the file has 153 bytes (trailing bytes)",
                assertThrows(IllegalArgumentException.class, () -> Npy.read(f8)).getMessage());
        // dimensions whose product overflows a long
        Path huge = dir.resolve("huge.npy");
        Files.write(huge, npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647, "
                + "2147483647), }", new byte[4]));
        assertEquals(huge + ": shape (2147483647, 2147483647, 2147483647) has more than 2^63 elements, more than a "
                + "Java array holds", assertThrows(IllegalArgumentException.class, () -> Npy.read(huge)).getMessage());
    }

    @Test
    void aStreamThatEndsBeforeItsDeclaredShapeFailsAsTruncatedWithoutAllocatingTheShape() {
        // The stream's length is unknown: its array grows as bytes arrive, so 6 bytes never cost 7.2 GB.
        byte[] bomb = npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 30000, 20000), }", new byte[6]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(new ByteArrayInputStream(bomb)));
        assertEquals("npy stream: truncated in data: expected 65536 more bytes, got 6", e.getMessage());
    }

    @Test
    void aStreamLongerThanOneChunkReadsBackExactly() throws IOException {
        // 3 chunks and a bit: the growing array ends exactly at the declared size with every value in place
        int n = 3 * 16384 + 5;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, new int[]{n}, v);
        NpyArray back = Npy.read(new ByteArrayInputStream(out.toByteArray()));
        assertArrayEquals(v, back.data());
    }

    @Test
    void requireFiniteNamesTheFirstBadElementAsANumpyIndex() {
        NpyArray a = new NpyArray(new int[]{2, 3, 4}, new float[24]);
        a.requireFinite("x.npy");
        a.data()[17] = Float.NaN; // 17 = 1*12 + 1*4 + 1
        a.data()[20] = Float.POSITIVE_INFINITY;
        assertEquals("x.npy: element (1, 1, 1) is NaN; every value must be a finite number",
                assertThrows(IllegalArgumentException.class, () -> a.requireFinite("x.npy")).getMessage());
    }

    @Test
    void interoperatesWithNumpy() throws Exception {
        requireNumpy();
        Path fromNumpy = dir.resolve("np");
        Files.createDirectories(fromNumpy);
        Path ours = dir.resolve("ours.npy");
        float[] data = {0.5f, -1.25f, 3f, 1e-3f, 65504f, -0f};
        Npy.write(ours, new int[]{3, 2}, data);
        String script = String.join("\n",
                "import numpy as np, sys",
                "d = sys.argv[1]",
                "a = np.arange(24, dtype='<f4').reshape(2, 3, 4) / 8",
                "np.save(d + '/f4.npy', a)",
                "np.save(d + '/f8.npy', np.array([0.1, -2.5, 1e20]))",
                "np.save(d + '/i4.npy', np.array([[-7, 0], [9, 2147483647]], dtype='<i4'))",
                "np.save(d + '/u1.npy', np.array([0, 128, 255], dtype=np.uint8))",
                "np.save(d + '/fortran.npy', np.asfortranarray(np.ones((2, 3), dtype='<f4')))",
                "b = np.load(sys.argv[2])",
                "want = np.array([[0.5, -1.25], [3, 1e-3], [65504, -0.0]], dtype='<f4')",
                "assert b.dtype == np.float32 and b.shape == (3, 2), (b.dtype, b.shape)",
                "assert np.array_equal(b, want), b",
                "print('numpy-read-ok')");
        Process p = new ProcessBuilder("python3", "-c", script, fromNumpy.toString(), ours.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("numpy-read-ok"), output);

        NpyArray f4 = Npy.read(fromNumpy.resolve("f4.npy"));
        assertArrayEquals(new int[]{2, 3, 4}, f4.shape());
        for (int i = 0; i < 24; i++) {
            assertEquals(i / 8f, f4.data()[i]);
        }
        assertArrayEquals(new float[]{0.1f, -2.5f, 1e20f}, Npy.read(fromNumpy.resolve("f8.npy")).data());
        NpyArray i4 = Npy.read(fromNumpy.resolve("i4.npy"));
        assertArrayEquals(new int[]{2, 2}, i4.shape());
        assertArrayEquals(new float[]{-7f, 0f, 9f, 2147483647f}, i4.data());
        assertArrayEquals(new float[]{0f, 128f, 255f}, Npy.read(fromNumpy.resolve("u1.npy")).data());
        assertThrows(IllegalArgumentException.class, () -> Npy.read(fromNumpy.resolve("fortran.npy")));

        // numpy's own header for the same array is what we write, byte for byte
        ByteArrayOutputStream mine = new ByteArrayOutputStream();
        float[] f4Data = f4.data();
        Npy.write(mine, new int[]{2, 3, 4}, f4Data);
        assertArrayEquals(Files.readAllBytes(fromNumpy.resolve("f4.npy")), mine.toByteArray());
    }

    /** Fails (never skips) without python3 and numpy: deploy/bin/test installs them. */
    private static void requireNumpy() throws Exception {
        String output;
        boolean ok;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            output = "python3 not found on PATH (" + e.getMessage() + ")";
            ok = false;
        }
        if (!ok) {
            fail("this test checks .npy files against numpy and needs python3 with numpy on PATH: " + output
                    + ". Run the tests with deploy/bin/test (it installs python3-numpy as root with apt-get), or "
                    + "install it: `apt-get install -y python3-numpy` or `pip install numpy`");
        }
    }
}
