package org.wsss.nn.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch {@code .pth}/{@code .pt} files as {@code torch.save} writes them since 1.6: a zip holding
 * {@code <dir>/data.pkl} and raw little-endian storages {@code <dir>/data/<key>}. Reads a plain state_dict, or
 * the one a checkpoint dict keeps under {@code state_dict}, {@code model} or {@code model_state_dict}, through
 * {@link StateDictUnpickler}, which runs no Python code. Anything else (whole pickled modules, other Python
 * objects, non-contiguous tensors, the pre-1.6 format) is refused with the one-line conversion to safetensors.
 */
public final class PytorchCheckpoint {
    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model", "model_state_dict");
    /** data.pkl of a state_dict is a few hundred bytes per tensor; far more is not a state_dict. */
    private static final long MAX_PICKLE_BYTES = 64L << 20;
    private static final int CHUNK_BYTES = 1 << 20;

    private PytorchCheckpoint() {
    }

    public static LinkedHashMap<String, INDArray> read(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            String dir = archiveDir(zip, file);
            LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, StateDictUnpickler.TensorRef> t : tensorRefs(zip, dir, file).entrySet()) {
                out.put(t.getKey(), tensor(zip, dir, t.getKey(), t.getValue(), file));
            }
            return out;
        }
    }

    /** Names, stored dtypes and shapes, from the pickle alone (no storage is read). */
    public static List<TensorInfo> list(Path file) throws IOException {
        try (ZipFile zip = open(file)) {
            List<TensorInfo> out = new ArrayList<>();
            for (Map.Entry<String, StateDictUnpickler.TensorRef> t : tensorRefs(zip, archiveDir(zip, file), file)
                    .entrySet()) {
                out.add(new TensorInfo(t.getKey(), t.getValue().storage().dtype().name(), t.getValue().size()));
            }
            return out;
        }
    }

    private static Map<String, StateDictUnpickler.TensorRef> tensorRefs(ZipFile zip, String dir, Path file)
            throws IOException {
        ZipEntry byteorder = zip.getEntry(dir + "byteorder");
        if (byteorder != null) {
            String order = new String(entryBytes(zip, byteorder, 16, file), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw refused(file, "its storages are " + order + "-endian");
            }
        }
        Object top;
        try {
            top = StateDictUnpickler.load(entryBytes(zip, zip.getEntry(dir + "data.pkl"), MAX_PICKLE_BYTES, file));
        } catch (IllegalArgumentException e) {
            throw refused(file, e.getMessage());
        }
        return stateDict(top, file);
    }

    /** The command that turns {@code file} into a safetensors file next to it. */
    public static String conversionCommand(Path file) {
        String in = file.toString();
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String out = file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".safetensors").toString();
        return "python -c \"import torch; from safetensors.torch import save_file; "
                + "sd = torch.load('" + in + "', map_location='cpu', weights_only=False); "
                + "save_file({k: v.contiguous() for k, v in sd.items()}, '" + out + "')\"";
    }

    static IllegalArgumentException refused(Path file, String reason) {
        return new IllegalArgumentException(file + ": cannot read this PyTorch file directly (" + reason
                + "); convert it to safetensors with: " + conversionCommand(file)
                + "  (for a checkpoint that wraps the weights, save its state_dict entry instead of sd)");
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IllegalArgumentException(file + ": not a readable zip (" + e.getMessage() + ")");
        }
    }

    private static String archiveDir(ZipFile zip, Path file) {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                return name.substring(0, slash + 1);
            }
        }
        throw new IllegalArgumentException(file + ": a zip without <dir>/data.pkl, so not a PyTorch checkpoint");
    }

    private static byte[] entryBytes(ZipFile zip, ZipEntry entry, long max, Path file) throws IOException {
        if (entry.getSize() < 0 || entry.getSize() > max) {
            throw new IllegalArgumentException(file + ": zip record " + entry.getName() + " has size "
                    + entry.getSize() + " (limit " + max + ")");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] b = in.readNBytes((int) entry.getSize());
            if (b.length != entry.getSize()) {
                throw new IllegalArgumentException(file + ": zip record " + entry.getName() + " is truncated");
            }
            return b;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, StateDictUnpickler.TensorRef> stateDict(Object top, Path file) {
        Map<String, StateDictUnpickler.TensorRef> direct = tensorsOnly(top);
        if (direct != null) {
            return direct;
        }
        if (top instanceof Map<?, ?> m) {
            for (String key : WRAPPER_KEYS) {
                Map<String, StateDictUnpickler.TensorRef> inner = tensorsOnly(m.get(key));
                if (inner != null) {
                    return inner;
                }
            }
            throw refused(file, "a dict whose values are not all tensors and which holds no state_dict under "
                    + WRAPPER_KEYS + " (keys: " + abbreviate(m.keySet()) + ")");
        }
        throw refused(file, "it holds a " + StateDictUnpickler.describe(top) + ", not a state_dict");
    }

    /** @return the map as name -> tensor when it is a non-empty dict of string keys and tensor values, else null */
    private static Map<String, StateDictUnpickler.TensorRef> tensorsOnly(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.isEmpty()) {
            return null;
        }
        LinkedHashMap<String, StateDictUnpickler.TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof StateDictUnpickler.TensorRef t)) {
                return null;
            }
            out.put(k, t);
        }
        return out;
    }

    private static String abbreviate(Iterable<?> keys) {
        List<String> shown = new ArrayList<>();
        for (Object k : keys) {
            if (shown.size() == 8) {
                shown.add("...");
                break;
            }
            shown.add(String.valueOf(k));
        }
        return String.join(", ", shown);
    }

    private static INDArray tensor(ZipFile zip, String dir, String name, StateDictUnpickler.TensorRef t, Path file)
            throws IOException {
        long[] size = t.size();
        long[] stride = t.stride();
        if (size.length != stride.length) {
            throw refused(file, "tensor " + name + " has size " + Arrays.toString(size) + " but stride "
                    + Arrays.toString(stride));
        }
        long elements = 1;
        long expectedStride = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] < 0) {
                throw refused(file, "tensor " + name + " has a negative size " + Arrays.toString(size));
            }
            // PyTorch calls a tensor contiguous whatever the strides of its size-1 dimensions.
            if (size[i] != 1 && stride[i] != expectedStride) {
                throw refused(file, "tensor " + name + " is not contiguous (size " + Arrays.toString(size)
                        + ", stride " + Arrays.toString(stride) + ")");
            }
            expectedStride = multiplyOrMax(expectedStride, size[i]);
            elements = multiplyOrMax(elements, size[i]);
        }
        StateDictUnpickler.StorageRef s = t.storage();
        TensorDtype dtype = s.dtype();
        if (elements > Safetensors.MAX_ELEMENTS || t.offset() < 0 || t.offset() > s.elements() - elements) {
            throw refused(file, "tensor " + name + " (offset " + t.offset() + ", size " + Arrays.toString(size)
                    + ") does not fit its storage of " + s.elements() + " elements");
        }
        ZipEntry entry = zip.getEntry(dir + "data/" + s.key());
        if (entry == null) {
            throw new IllegalArgumentException(file + ": tensor " + name + "'s storage record data/" + s.key()
                    + " is missing");
        }
        if (entry.getSize() != multiplyOrMax(s.elements(), dtype.bytes())) {
            throw new IllegalArgumentException(file + ": storage record data/" + s.key() + " has "
                    + entry.getSize() + " bytes, but the pickle declares " + s.elements() + " " + dtype
                    + " elements (truncated?)");
        }
        float[] values = new float[(int) elements];
        try (InputStream in = zip.getInputStream(entry)) {
            in.skipNBytes(t.offset() * dtype.bytes());
            int perChunk = CHUNK_BYTES / dtype.bytes();
            for (int done = 0; done < values.length; done += perChunk) {
                int n = Math.min(perChunk, values.length - done);
                byte[] chunk = in.readNBytes(n * dtype.bytes());
                if (chunk.length != n * dtype.bytes()) {
                    throw new IllegalArgumentException(file + ": storage record data/" + s.key() + " is truncated");
                }
                dtype.decode(ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN), values, done, n);
            }
        }
        return Safetensors.toArray(values, size);
    }

    private static long multiplyOrMax(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
