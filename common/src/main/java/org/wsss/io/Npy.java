package org.wsss.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0), C order only. Writes little-endian float32
 * ({@code '<f4'}); reads {@code '<f4'}, and converts {@code '<f8'}, {@code '<i4'}, {@code '<i8'} and
 * {@code '|u1'} to float (float64 and int64 values lose precision beyond float32, as a cast would).
 * Format errors, a truncated file included, are {@link IllegalArgumentException}s naming the source and the
 * reason. Nothing is allocated for the data before it is known to be there: a file's length is checked against
 * its declared shape and dtype first, and a stream's array grows only as its bytes arrive, so a small file
 * declaring a huge shape costs nothing.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    public static NpyArray read(Path file) throws IOException {
        long fileLength = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString(), fileLength);
        }
    }

    /** Reads one array from the stream's current position; the stream is not closed. */
    public static NpyArray read(InputStream in) throws IOException {
        return read(in, "npy stream", -1);
    }

    /** @param fileLength the whole file's length, checked against the header before any data is read; -1 for a stream */
    private static NpyArray read(InputStream in, String source, long fileLength) throws IOException {
        byte[] magic = readFully(in, MAGIC.length, source, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException(source + ": bad magic " + hex(magic)
                    + ", expected \\x93NUMPY (not a .npy file)");
        }
        byte[] version = readFully(in, 2, source, "version");
        int major = version[0] & 0xff;
        int headerLength;
        if (major == 1) {
            headerLength = ByteBuffer.wrap(readFully(in, 2, source, "header length"))
                    .order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        } else if (major == 2 || major == 3) {
            long length = ByteBuffer.wrap(readFully(in, 4, source, "header length"))
                    .order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(source + ": header length " + length + " is too large");
            }
            headerLength = (int) length;
        } else {
            throw new IllegalArgumentException(source + ": unsupported .npy format version "
                    + major + "." + (version[1] & 0xff) + " (supported: 1.0, 2.0, 3.0)");
        }
        // Version 1/2 headers are latin-1, version 3 UTF-8; the dict keys and values we read are ASCII.
        String header = new String(readFully(in, headerLength, source, "header"),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, header, source, "descr");
        if (field(FORTRAN, header, source, "fortran_order").equals("True")) {
            throw new IllegalArgumentException(source + ": fortran_order is True; only C-order arrays are supported");
        }
        int[] shape = parseShape(field(SHAPE, header, source, "shape"), source);
        int itemSize = itemSize(descr, source);
        long count;
        try {
            count = elementCount(shape);
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE; // more than any file or array holds: refused below
        }
        if (fileLength >= 0 && count <= Long.MAX_VALUE / 16) {
            long headerBytes = MAGIC.length + 2 + (major == 1 ? 2 : 4) + (long) headerLength;
            long dataBytes = count * itemSize;
            if (fileLength != headerBytes + dataBytes) {
                throw new IllegalArgumentException(source + ": declared shape " + pythonShape(shape) + " of '"
                        + descr + "' needs " + dataBytes + " data bytes, " + (headerBytes + dataBytes)
                        + " bytes with the " + headerBytes + "-byte header, but the file has " + fileLength
                        + " bytes (" + (fileLength < headerBytes + dataBytes ? "truncated" : "trailing bytes")
                        + ")");
            }
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source + ": shape " + pythonShape(shape) + " has "
                    + (count == Long.MAX_VALUE ? "more than 2^63" : "" + count)
                    + " elements, more than a Java array holds");
        }
        return new NpyArray(shape, readData(in, descr, itemSize, (int) count, source));
    }

    private static int itemSize(String descr, String source) {
        return switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1" -> 1;
            default -> throw new IllegalArgumentException(source + ": unsupported dtype '" + descr
                    + "' (supported: <f4, <f8, <i4, <i8, |u1)");
        };
    }

    /** The shape as numpy prints it: (3, 4), (5,) or (). */
    static String pythonShape(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static float[] readData(InputStream in, String descr, int itemSize, int count, String source)
            throws IOException {
        // Grown as bytes arrive (never more than twice what was read), so a stream that ends early fails as
        // truncated instead of first allocating what its header declares.
        float[] data = new float[Math.min(count, CHUNK)];
        int perChunk = CHUNK / itemSize;
        for (int start = 0; start < count; start += perChunk) {
            int n = Math.min(perChunk, count - start);
            if (start + n > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, Math.max(start + n, 2L * data.length)));
            }
            ByteBuffer buf = ByteBuffer.wrap(readFully(in, n * itemSize, source, "data"))
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (descr.equals("<f4")) { // the common case in bulk: a per-value switch costs a cold CLI call 0.3 s
                buf.asFloatBuffer().get(data, start, n);
                continue;
            }
            for (int i = 0; i < n; i++) {
                data[start + i] = switch (descr) {
                    case "<f4" -> buf.getFloat();
                    case "<f8" -> (float) buf.getDouble();
                    case "<i4" -> (float) buf.getInt();
                    case "<i8" -> (float) buf.getLong();
                    default -> (float) (buf.get() & 0xff);
                };
            }
        }
        return data;
    }

    /**
     * Writes a float32 C-order array. The file appears atomically: it is written beside the target and
     * moved into place, so a killed writer leaves no half-written {@code .npy}.
     */
    public static void write(Path file, int[] shape, float[] data) throws IOException {
        NpyArray checked = new NpyArray(shape, data);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                write(out, checked.shape(), checked.data());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes a float32 C-order array to the stream; the stream is not closed. */
    public static void write(OutputStream out, int[] shape, float[] data) throws IOException {
        NpyArray checked = new NpyArray(shape, data);
        out.write(header(checked.shape()));
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = CHUNK / Float.BYTES;
        for (int start = 0; start < data.length; start += perChunk) {
            int n = Math.min(perChunk, data.length - start);
            buf.clear();
            buf.asFloatBuffer().put(data, start, n);
            out.write(buf.array(), 0, n * Float.BYTES);
        }
        out.flush();
    }

    /** The header numpy itself writes: dict literal padded with spaces so the data starts 64-aligned. */
    static byte[] header(int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int major = 1;
        int prefix = MAGIC.length + 2 + 2;
        int padded = paddedLength(dict.length(), prefix);
        if (padded > 0xffff) {
            major = 2;
            prefix = MAGIC.length + 2 + 4;
            padded = paddedLength(dict.length(), prefix);
        }
        ByteBuffer buf = ByteBuffer.allocate(prefix + padded).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            buf.putShort((short) padded);
        } else {
            buf.putInt(padded);
        }
        buf.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        buf.put(" ".repeat(padded - dict.length() - 1).getBytes(StandardCharsets.ISO_8859_1));
        buf.put((byte) '\n');
        return buf.array();
    }

    private static int paddedLength(int dictLength, int prefix) {
        int unpadded = prefix + dictLength + 1;
        return dictLength + 1 + (ALIGN - unpadded % ALIGN) % ALIGN;
    }

    static long elementCount(int[] shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, (long) d);
        }
        return count;
    }

    private static int[] parseShape(String tuple, String source) {
        String body = tuple.trim();
        if (body.isEmpty()) {
            return new int[0];
        }
        String[] parts = body.split(",");
        int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            // numpy < 2 on some platforms wrote Python 2 longs such as "3L".
            String p = parts[i].trim().replaceFirst("[Ll]$", "");
            try {
                shape[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": shape (" + tuple + ") has a bad dimension '" + p + "'");
            }
            if (shape[i] < 0) {
                throw new IllegalArgumentException(source + ": shape (" + tuple + ") has a negative dimension");
            }
        }
        return shape;
    }

    private static String field(Pattern pattern, String header, String source, String name) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(source + ": header has no valid '" + name + "' entry: " + header.trim());
        }
        return m.group(1);
    }

    private static byte[] readFully(InputStream in, int n, String source, String what) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IllegalArgumentException(source + ": truncated in " + what + ": expected " + n
                    + " more bytes, got " + bytes.length);
        }
        return bytes;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("\\x%02x", b & 0xff));
        }
        return s.toString();
    }
}
