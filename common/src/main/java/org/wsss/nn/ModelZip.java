package org.wsss.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A network as the bytes of a DL4J model zip (ModelSerializer format: JSON configuration, parameters and,
 * optionally, updater state), for shipping models through Spark broadcasts and storing them as files.
 *
 * <p>A model whose input normalisation is not {@link InputNorm#TORCHVISION} carries it as the zip's first entry
 * {@link #INPUT_NORM_ENTRY}; ModelSerializer ignores entries it does not know, and a zip without the entry (every
 * model written before the record existed) reads as torchvision.
 */
public final class ModelZip {
    public static final String INPUT_NORM_ENTRY = "wsss-input-norm.txt";

    private ModelZip() {
    }

    /** @param withUpdater also store the optimiser state (momentum, Adam moments), needed to resume training */
    public static byte[] toBytes(ComputationGraph net, boolean withUpdater) {
        return toBytes(net, withUpdater, InputNorm.TORCHVISION);
    }

    public static byte[] toBytes(ComputationGraph net, boolean withUpdater, InputNorm norm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, out, withUpdater);
            return norm == InputNorm.TORCHVISION ? out.toByteArray() : withNormEntry(out.toByteArray(), norm);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the network to a DL4J zip", e);
        }
    }

    public static ComputationGraph fromBytes(byte[] zip, boolean withUpdater) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), withUpdater);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("bytes (" + zip.length + ") are not a DL4J ComputationGraph zip: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The input normalisation recorded in a model zip; {@code null} when none is recorded (a zip from before
     * the record, or from elsewhere: the DL4J zoo's).
     */
    public static InputNorm recordedInputNorm(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry first = in.getNextEntry();
            if (first == null || !first.getName().equals(INPUT_NORM_ENTRY)) {
                return null;
            }
            return InputNorm.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new IllegalArgumentException("bytes (" + zip.length + ") are not a zip: " + e.getMessage(), e);
        }
    }

    /** The normalisation a model of ours was trained with: the recorded one, torchvision when none is. */
    public static InputNorm inputNorm(byte[] zip) {
        InputNorm recorded = recordedInputNorm(zip);
        return recorded == null ? InputNorm.TORCHVISION : recorded;
    }

    /** The zip with the record as its first entry, so that reading it stops at the first entry. */
    private static byte[] withNormEntry(byte[] zip, InputNorm norm) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length + 256);
        try (ZipOutputStream zout = new ZipOutputStream(out);
             ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(zip))) {
            zout.putNextEntry(new ZipEntry(INPUT_NORM_ENTRY));
            zout.write(norm.configName().getBytes(StandardCharsets.UTF_8));
            zout.closeEntry();
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                if (!e.getName().equals(INPUT_NORM_ENTRY)) {
                    zout.putNextEntry(new ZipEntry(e.getName()));
                    zin.transferTo(zout);
                    zout.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }
}
