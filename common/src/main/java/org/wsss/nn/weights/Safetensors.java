package org.wsss.nn.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON mapping each tensor name to its dtype, shape and {@code data_offsets} (relative to the first
 * byte after the header), with an optional {@code "__metadata__"} string map, then the raw little-endian data.
 * Every {@link TensorDtype} is read as float32; other dtypes, a truncated file, a header or offsets pointing
 * outside the file, offsets that disagree with shape and dtype or overlap, and malformed JSON are
 * {@link IllegalArgumentException}s naming the file and the reason. The whole header is validated before any
 * tensor is allocated, so a small file declaring huge tensors costs nothing.
 */
public final class Safetensors {
    /** The reference implementation's limit; a larger header is a corrupt or hostile file. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    /** Largest element count a Java float[] (and so one tensor here) can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final String METADATA = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One tensor's header entry; {@code begin} and {@code end} are byte offsets into the data area. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** A validated header: tensors in file order, the metadata map (empty when absent) and where the data starts. */
    public record Header(List<Entry> tensors, Map<String, String> metadata, long dataStart) {
    }

    private Safetensors() {
    }

    /** @return each tensor as a float32 C-order array with the file's shape, keys in the header's order */
    public static LinkedHashMap<String, INDArray> read(Path file) throws IOException {
        Header header = readHeader(file);
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Entry e : header.tensors()) {
                float[] values = readValues(ch, file, header.dataStart() + e.begin(), e);
                out.put(e.name(), toArray(values, e.shape()));
            }
        }
        return out;
    }

    /** Reads and validates the header only: names, dtypes, shapes and offsets, no tensor data. */
    public static Header readHeader(Path file) throws IOException {
        long fileLength = Files.size(file);
        if (fileLength < 8) {
            throw bad(file, "truncated: " + fileLength + " bytes, shorter than the 8-byte header length");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lengthBytes = readAt(ch, file, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = lengthBytes.getLong();
            if (headerLength < 0 || headerLength > fileLength - 8) {
                throw bad(file, "header length " + Long.toUnsignedString(headerLength) + " reaches beyond the file ("
                        + fileLength + " bytes; truncated or not a safetensors file)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw bad(file, "header length " + headerLength + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
            }
            ByteBuffer headerBytes = readAt(ch, file, 8, (int) headerLength);
            String json = StandardCharsets.UTF_8.decode(headerBytes).toString();
            return parseHeader(file, json, 8 + headerLength, fileLength - 8 - headerLength);
        }
    }

    /**
     * Writes float32 tensors in the map's order (the format of {@link #read}); the header is padded with spaces
     * to a multiple of 8 bytes, as the reference writer does. The file is replaced only once fully written.
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        List<float[]> data = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
            if (METADATA.equals(t.getKey())) {
                throw new IllegalArgumentException("tensor name " + METADATA + " is reserved for the metadata map");
            }
            INDArray a = t.getValue().castTo(DataType.FLOAT).dup('c');
            float[] values = a.length() == 0 ? new float[0] : a.data().asFloat();
            ObjectNode entry = header.putObject(t.getKey());
            entry.put("dtype", TensorDtype.F32.name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : a.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + 4L * values.length);
            offset += 4L * values.length;
            data.add(values);
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = Arrays.copyOf(json, padded);
        Arrays.fill(head, json.length, padded, (byte) ' ');

        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), CHUNK_BYTES)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(head);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] values : data) {
                for (float v : values) {
                    if (!buf.hasRemaining()) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Header parseHeader(Path file, String json, long dataStart, long dataLength) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw bad(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (METADATA.equals(f.getKey())) {
                readMetadata(file, f.getValue(), metadata);
            } else {
                entries.add(entry(file, f.getKey(), f.getValue(), dataLength));
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry prev = byOffset.get(i - 1);
            Entry cur = byOffset.get(i);
            if (cur.begin() < prev.end()) {
                throw bad(file, "tensors " + prev.name() + " [" + prev.begin() + ", " + prev.end() + ") and "
                        + cur.name() + " [" + cur.begin() + ", " + cur.end() + ") overlap");
            }
        }
        return new Header(Collections.unmodifiableList(entries), Collections.unmodifiableMap(metadata), dataStart);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) {
            throw bad(file, METADATA + " is not a JSON object");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw bad(file, METADATA + " value of " + m.getKey() + " is not a string");
            }
            into.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataLength) {
        String what = "tensor " + name;
        if (!node.isObject()) {
            throw bad(file, what + ": entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw bad(file, what + ": dtype missing or not a string");
        }
        String dtypeName = dtypeNode.textValue();
        TensorDtype dtype = TensorDtype.bySafetensorsName(dtypeName);
        if (dtype == null) {
            throw bad(file, what + ": dtype " + dtypeName + " is not supported (supported: "
                    + TensorDtype.supportedNames() + ")");
        }
        long[] shape = longs(file, what, "shape", node.get("shape"), -1);
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw bad(file, what + ": negative dimension in shape " + Arrays.toString(shape));
            }
            elements = multiplyOrMax(elements, d);
        }
        if (elements > MAX_ELEMENTS) {
            throw bad(file, what + ": shape " + Arrays.toString(shape) + " has more elements than one array can hold");
        }
        long[] offsets = longs(file, what, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin || end > dataLength) {
            throw bad(file, what + ": data_offsets [" + begin + ", " + end + "] lie outside the data area of "
                    + dataLength + " bytes (truncated file?)");
        }
        long expected = elements * dtype.bytes();
        if (end - begin != expected) {
            throw bad(file, what + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtypeName + " needs " + expected);
        }
        return new Entry(name, dtypeName, shape, begin, end);
    }

    private static long[] longs(Path file, String what, String field, JsonNode node, int requiredLength) {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw bad(file, what + ": " + field + " missing or not an array"
                    + (requiredLength >= 0 ? " of " + requiredLength + " integers" : " of integers"));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(file, what + ": " + field + " holds " + v + ", not a 64-bit integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static long multiplyOrMax(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static float[] readValues(FileChannel ch, Path file, long position, Entry e) throws IOException {
        TensorDtype dtype = TensorDtype.bySafetensorsName(e.dtype());
        int count = (int) e.elements();
        float[] values = new float[count];
        int perChunk = CHUNK_BYTES / dtype.bytes();
        for (int done = 0; done < count; done += perChunk) {
            int n = Math.min(perChunk, count - done);
            ByteBuffer chunk = readAt(ch, file, position + (long) done * dtype.bytes(), n * dtype.bytes())
                    .order(ByteOrder.LITTLE_ENDIAN);
            dtype.decode(chunk, values, done, n);
        }
        return values;
    }

    /** A float32 C-order array of the given shape; rank 0 and empty shapes included. */
    static INDArray toArray(float[] values, long[] shape) {
        if (shape.length == 0) {
            return Nd4j.scalar(values[0]);
        }
        if (values.length == 0) {
            return Nd4j.create(DataType.FLOAT, shape);
        }
        return Nd4j.create(values, shape, 'c');
    }

    private static ByteBuffer readAt(FileChannel ch, Path file, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw bad(file, "truncated: ended at byte " + (position + buf.position()) + " while reading "
                        + length + " bytes from " + position);
            }
        }
        return buf.flip();
    }

    static IllegalArgumentException bad(Path file, String reason) {
        return new IllegalArgumentException(file + ": " + reason);
    }
}
