package org.wsss.nn;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Initialises a network from another one by layer name: each parameter (W, b, gamma, beta, mean, var, ...)
 * of a target layer is copied when the source has a layer of the same name with that parameter in the
 * same shape; everything else keeps its fresh initialisation and is reported as skipped with the reason.
 */
public final class PretrainedInit {

    /**
     * What a copy did; entries are "layer/param", skipped ones followed by " (reason)".
     */
    public record CopyReport(List<String> copied, List<String> skipped) implements Serializable {
        public CopyReport {
            copied = List.copyOf(copied);
            skipped = List.copyOf(skipped);
        }

        public String summary() {
            return "copied " + copied.size() + " parameter arrays, skipped " + skipped.size()
                    + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped));
        }
    }

    private PretrainedInit() {
    }

    public static CopyReport copyMatching(ComputationGraph source, ComputationGraph target) {
        List<String> copied = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Layer layer : target.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Map<String, INDArray> targetParams = layer.paramTable();
            if (targetParams.isEmpty()) {
                continue;
            }
            if (!source.getConfiguration().getVertices().containsKey(name) || source.getLayer(name) == null) {
                targetParams.keySet().forEach(k -> skipped.add(name + "/" + k + " (no layer of that name in source)"));
                continue;
            }
            Map<String, INDArray> sourceParams = source.getLayer(name).paramTable();
            for (Map.Entry<String, INDArray> e : targetParams.entrySet()) {
                String key = e.getKey();
                INDArray from = sourceParams.get(key);
                if (from == null) {
                    skipped.add(name + "/" + key + " (source layer has no parameter " + key + "; it has "
                            + sourceParams.keySet() + ")");
                } else if (!Arrays.equals(from.shape(), e.getValue().shape())) {
                    skipped.add(name + "/" + key + " (shape " + Arrays.toString(from.shape()) + " in source, "
                            + Arrays.toString(e.getValue().shape()) + " in target)");
                } else {
                    // getParam returns a view of the flattened parameter vector, so assign writes through.
                    target.getLayer(name).getParam(key).assign(from.castTo(e.getValue().dataType()));
                    copied.add(name + "/" + key);
                }
            }
        }
        return new CopyReport(copied, skipped);
    }

    /**
     * Copies matching parameters from a DL4J ComputationGraph zip (written by ModelSerializer, e.g. the zoo's
     * resnet50_dl4j_inference zip).
     */
    public static CopyReport fromFile(File file, ComputationGraph target) {
        String name = file.getName().toLowerCase(Locale.ROOT);
        if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
            throw new IllegalArgumentException("pretrained file " + file + " is a Keras HDF5 model; Keras import "
                    + "(deeplearning4j-modelimport) is not bundled: convert it to a DL4J zip with KerasModelImport "
                    + "and ModelSerializer elsewhere, then pass the zip");
        }
        if (!file.isFile()) {
            throw new IllegalArgumentException("pretrained file " + file + " does not exist or is not a file");
        }
        ComputationGraph source;
        try {
            source = ModelSerializer.restoreComputationGraph(file, false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("pretrained file " + file
                    + " is not a DL4J ComputationGraph zip (ModelSerializer could not read it: " + e.getMessage() + ")", e);
        }
        return copyMatching(source, target);
    }
}
