package org.wsss.nn.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file laid out by hand: 8-byte LE header length, the JSON exactly as given, then the data bytes. */
    private Path file(String json, byte[] data) throws IOException {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(head.length).array());
        out.writeBytes(head);
        out.writeBytes(data);
        Path f = dir.resolve("t" + System.nanoTime() + ".safetensors");
        Files.write(f, out.toByteArray());
        return f;
    }

    private static byte[] le(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(bytesPerValue * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPerValue) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    private static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private void assertRefused(Path f, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
    }

    @Test
    void readsF32InCOrderWithTheFilesShapeAndKeyOrder() throws IOException {
        Path f = file("{\"b\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]},"
                + "\"__metadata__\":{\"format\":\"pt\"}}", f32(1, 2, 3, 4, 5, 6, -7.5f));
        LinkedHashMap<String, INDArray> t = Safetensors.read(f);
        assertEquals(List.of("b", "a"), List.copyOf(t.keySet()));
        INDArray b = t.get("b");
        assertEquals(DataType.FLOAT, b.dataType());
        assertArrayEquals(new long[] {2, 3}, b.shape());
        assertEquals(6f, b.getFloat(1, 2));
        assertEquals(2f, b.getFloat(0, 1));
        assertEquals(4f, b.getFloat(1, 0));
        assertEquals(0, t.get("a").rank());
        assertEquals(-7.5f, t.get("a").getFloat(0));
        assertEquals(Map.of("format", "pt"), Safetensors.readHeader(f).metadata());
    }

    @Test
    void convertsHalfPrecisionExactlyIncludingSubnormalsAndInfinity() throws IOException {
        // 1.0, -2.0, 65504 (largest finite), 2^-24 (smallest subnormal), 0x0200 = 2^-15 (subnormal), -0.0, +inf
        Path f = file("{\"h\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[0,14]}}",
                le(2, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x0200, 0x8000, 0x7C00));
        float[] v = Safetensors.read(f).get("h").toFloatVector();
        assertArrayEquals(new float[] {1f, -2f, 65504f, (float) Math.pow(2, -24), (float) Math.pow(2, -15), -0f,
                Float.POSITIVE_INFINITY}, v);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(v[5]));
    }

    @Test
    void halfNanStaysNan() {
        assertTrue(Float.isNaN(TensorDtype.halfToFloat((short) 0x7E00)));
    }

    @Test
    void convertsBfloat16ByWideningTheBits() throws IOException {
        // 0x3F80 = 1.0, 0xC040 = -3.0, 0x3E20 = 0.15625
        Path f = file("{\"w\":{\"dtype\":\"BF16\",\"shape\":[3,1],\"data_offsets\":[0,6]}}", le(2, 0x3F80, 0xC040, 0x3E20));
        INDArray w = Safetensors.read(f).get("w");
        assertArrayEquals(new long[] {3, 1}, w.shape());
        assertArrayEquals(new float[] {1f, -3f, 0.15625f}, w.toFloatVector());
    }

    @Test
    void readsIntegerCountersSuchAsBatchNormsNumBatchesTracked() throws IOException {
        Path f = file("{\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"m\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[8,10]}}",
                concat(le(8, 12345), le(1, 200, 3)));
        LinkedHashMap<String, INDArray> t = Safetensors.read(f);
        assertEquals(12345f, t.get("bn.num_batches_tracked").getFloat(0));
        assertArrayEquals(new float[] {200f, 3f}, t.get("m").toFloatVector());
    }

    @Test
    void headerReadsNamesDtypesShapesWithoutData() throws IOException {
        Path f = file("{\"x\":{\"dtype\":\"F16\",\"shape\":[1,2],\"data_offsets\":[0,4]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
        Safetensors.Header h = Safetensors.readHeader(f);
        assertEquals(2, h.tensors().size());
        assertEquals("x", h.tensors().get(0).name());
        assertEquals("F16", h.tensors().get(0).dtype());
        assertArrayEquals(new long[] {1, 2}, h.tensors().get(0).shape());
        assertEquals("F32", h.tensors().get(1).dtype());
        assertTrue(h.metadata().isEmpty());
    }

    @Test
    void writeThenReadGivesBackValuesShapesOrderAndMetadata() throws IOException {
        LinkedHashMap<String, INDArray> in = new LinkedHashMap<>();
        in.put("z.weight", Nd4j.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {2, 2, 2}, 'c'));
        in.put("a.bias", Nd4j.create(new float[] {9, 10}, new long[] {2}, 'c'));
        // A transposed view is written in its logical C order, not its storage order.
        in.put("t", Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c').transpose());
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, in, Map.of("source", "test"));
        LinkedHashMap<String, INDArray> back = Safetensors.read(f);
        assertEquals(List.of("z.weight", "a.bias", "t"), List.copyOf(back.keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, back.get("z.weight").reshape(8).toFloatVector());
        assertArrayEquals(new long[] {2, 2, 2}, back.get("z.weight").shape());
        assertArrayEquals(new long[] {3, 2}, back.get("t").shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.get("t").reshape(6).toFloatVector());
        assertEquals(Map.of("source", "test"), Safetensors.readHeader(f).metadata());
        assertEquals(0, (Files.size(f) - 8 - 4 * 16) % 8, "header padded to 8 bytes");
    }

    @Test
    void refusesAnUnsupportedDtypeNamingTensorAndDtype() throws IOException {
        assertRefused(file("{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]),
                "tensor q", "F8_E4M3", "not supported");
    }

    @Test
    void refusesAFileShorterThanTheLengthField() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 0, 0});
        assertRefused(f, "truncated");
    }

    @Test
    void refusesAHeaderLengthBeyondTheFile() throws IOException {
        Path f = dir.resolve("long.safetensors");
        Files.write(f, concat(le(8, 1000), "{}".getBytes(StandardCharsets.UTF_8)));
        assertRefused(f, "header length 1000", "beyond the file");
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, concat(le(8, -1L), "{}".getBytes(StandardCharsets.UTF_8)));
        assertRefused(huge, "header length 18446744073709551615", "beyond the file");
    }

    @Test
    void refusesDataCutShortAsOffsetsOutsideTheDataArea() throws IOException {
        // Header promises 24 bytes, the file stops after 20.
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", new byte[20]),
                "tensor w", "outside the data area of 20 bytes");
    }

    @Test
    void refusesAHostileShapeBeforeAllocating() throws IOException {
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4000000000,4000000000],\"data_offsets\":[0,4]}}",
                new byte[4]), "tensor w", "more elements than one array can hold");
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,4]}}",
                new byte[4]), "tensor w", "more elements");
    }

    @Test
    void refusesOffsetsThatDisagreeWithShapeAndDtype() throws IOException {
        assertRefused(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", new byte[24]),
                "tensor w", "span 24 bytes", "needs 12");
    }

    @Test
    void refusesOverlappingOffsets() throws IOException {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "tensors a [0, 8) and b [4, 12) overlap");
    }

    @Test
    void refusesNegativeOrReversedOffsets() throws IOException {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", new byte[12]),
                "tensor a", "outside the data area");
    }

    @Test
    void refusesBadJson() throws IOException {
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",", new byte[0]), "not valid JSON");
        assertRefused(file("[1,2]", new byte[0]), "not a JSON object");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} x", new byte[4]),
                "not valid JSON");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "not valid JSON",
                "Duplicate");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor a", "shape");
        assertRefused(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor a", "dtype missing");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
                "tensor a", "data_offsets");
        assertRefused(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__", "not a string");
    }
}
