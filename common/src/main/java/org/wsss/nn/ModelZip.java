package org.wsss.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A network as the bytes of a DL4J model zip (ModelSerializer format: JSON configuration, parameters and,
 * optionally, updater state), for shipping models through Spark broadcasts and storing them as files.
 */
public final class ModelZip {
    private ModelZip() {
    }

    /** @param withUpdater also store the optimiser state (momentum, Adam moments), needed to resume training */
    public static byte[] toBytes(ComputationGraph net, boolean withUpdater) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, out, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the network to a DL4J zip", e);
        }
        return out.toByteArray();
    }

    public static ComputationGraph fromBytes(byte[] zip, boolean withUpdater) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), withUpdater);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("bytes (" + zip.length + ") are not a DL4J ComputationGraph zip: "
                    + e.getMessage(), e);
        }
    }
}
