package org.wsss.nn.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a weights file by its content, whatever its name: safetensors (an 8-byte header length then a JSON
 * object) or a PyTorch zip ({@code PK}). Anything else is an {@link IllegalArgumentException} naming the file and
 * the formats accepted; the pre-1.6 PyTorch format (a bare pickle) gets the conversion command.
 */
public final class WeightsFile {
    public static final String ACCEPTED = "safetensors (F32/F16/BF16), or a PyTorch .pth/.pt zip holding a state_dict";

    /** What {@link #detect} found in a file's first bytes. */
    public enum Format { SAFETENSORS, PYTORCH_ZIP }

    private WeightsFile() {
    }

    public static LinkedHashMap<String, INDArray> read(Path file) throws IOException {
        return switch (detect(file)) {
            case SAFETENSORS -> Safetensors.read(file);
            case PYTORCH_ZIP -> PytorchCheckpoint.read(file);
        };
    }

    /** Names, stored dtypes and shapes, without reading the tensors' data. */
    public static List<TensorInfo> list(Path file) throws IOException {
        return switch (detect(file)) {
            case SAFETENSORS -> Safetensors.readHeader(file).tensors().stream()
                    .map(e -> new TensorInfo(e.name(), e.dtype(), e.shape())).toList();
            case PYTORCH_ZIP -> PytorchCheckpoint.list(file);
        };
    }

    public static Format detect(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not a regular file (a directory?)");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return Format.PYTORCH_ZIP;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            throw PytorchCheckpoint.refused(file, "it is in the pre-1.6 torch.save format, a bare pickle");
        }
        if (head.length == 9 && head[8] == '{') {
            return Format.SAFETENSORS; // Safetensors.read names what is wrong with a damaged one
        }
        throw new IllegalArgumentException(file + ": not a weights file this reader knows (accepted: " + ACCEPTED + ")");
    }
}
