package org.wsss.nn;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Initialises a network from another one by layer name: each parameter (W, b, gamma, beta, mean, var, ...)
 * of a target layer is copied when the source has a layer of that name ({@link ZooNames} adds the names the DL4J
 * zoo's and Keras' ResNet-50 give the same layers) with that parameter in the same shape; everything else keeps
 * its fresh initialisation and is reported as skipped with the reason. Batch-norm statistics are copied so that
 * the normalising standard deviation sqrt(var + eps) stays the source's: a source stored as log10 of it (the zoo
 * builder's {@code useLogStd}) or with another eps (Keras: 1e-3) converts.
 */
public final class PretrainedInit {

    /**
     * What a copy did; entries are "layer/param", skipped ones followed by " (reason)"; {@code unused}: source
     * parameters nothing was copied from; {@code inputNorm}: the input normalisation the source's weights expect.
     */
    public record CopyReport(List<String> copied, List<String> skipped, List<String> unused, InputNorm inputNorm)
            implements Serializable {
        public CopyReport {
            copied = List.copyOf(copied);
            skipped = List.copyOf(skipped);
            unused = List.copyOf(unused);
        }

        public String summary() {
            return "copied " + copied.size() + " parameter arrays, skipped " + skipped.size()
                    + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped))
                    + (unused.isEmpty() ? "" : "; source arrays not used: " + String.join(", ", unused))
                    + "; input normalisation " + inputNorm.configName();
        }

        CopyReport withInputNorm(InputNorm norm) {
            return new CopyReport(copied, skipped, unused, norm);
        }
    }

    private static final String VAR = BatchNormalizationParamInitializer.GLOBAL_VAR;
    private static final String LOG_STD = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;

    private PretrainedInit() {
    }

    public static CopyReport copyMatching(ComputationGraph source, ComputationGraph target) {
        List<String> copied = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (Layer layer : target.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Map<String, INDArray> targetParams = layer.paramTable();
            if (targetParams.isEmpty()) {
                continue;
            }
            String from = sourceLayer(source, name);
            if (from == null) {
                targetParams.keySet().forEach(k -> skipped.add(name + "/" + k + " (no layer of that name in source)"));
                continue;
            }
            Layer src = source.getLayer(from);
            Map<String, INDArray> sourceParams = src.paramTable();
            for (Map.Entry<String, INDArray> e : targetParams.entrySet()) {
                String key = e.getKey();
                INDArray value = sourceValue(src, layer, key);
                String sourceKey = key.equals(VAR) && !sourceParams.containsKey(VAR) ? LOG_STD : key;
                if (value == null) {
                    skipped.add(name + "/" + key + " (source layer " + from + " has no parameter " + key + "; it has "
                            + sourceParams.keySet() + ")");
                } else if (!Arrays.equals(value.shape(), e.getValue().shape())) {
                    skipped.add(name + "/" + key + " (shape " + Arrays.toString(value.shape()) + " in source, " + Arrays.toString(e.getValue().shape()) + " in target)");
                } else {
                    // getParam returns a view of the flattened parameter vector, so assign writes through.
                    target.getLayer(name).getParam(key).assign(value.castTo(e.getValue().dataType()));
                    copied.add(name + "/" + key);
                    used.add(from + "/" + sourceKey);
                }
            }
        }
        List<String> unused = new ArrayList<>();
        for (Layer layer : source.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            layer.paramTable().keySet().stream().map(k -> name + "/" + k).filter(k -> !used.contains(k))
                    .forEach(unused::add);
        }
        return new CopyReport(copied, skipped, unused, InputNorm.TORCHVISION);
    }

    /** The source layer that feeds target layer {@code name}: the same name, else a zoo/Keras alias. */
    private static String sourceLayer(ComputationGraph source, String name) {
        for (String candidate : ZooNames.candidates(name)) {
            if (source.getConfiguration().getVertices().containsKey(candidate) && source.getLayer(candidate) != null) {
                return candidate;
            }
        }
        return null;
    }

    /** The source's value for target parameter {@code key}, batch-norm variance converted; null when absent. */
    private static INDArray sourceValue(Layer src, Layer dst, String key) {
        Map<String, INDArray> p = src.paramTable();
        if (!key.equals(VAR) || !(src.conf().getLayer() instanceof BatchNormalization sbn)
                || !(dst.conf().getLayer() instanceof BatchNormalization dbn)) {
            return p.get(key);
        }
        // the variance the target needs for the source's std: var_t = std^2 - eps_t
        INDArray stdSquared;
        if (p.containsKey(VAR) && sbn.getEps() == dbn.getEps()) {
            return p.get(VAR);
        } else if (p.containsKey(VAR)) {
            stdSquared = p.get(VAR).castTo(DataType.DOUBLE).add(sbn.getEps());
        } else if (p.containsKey(LOG_STD)) {
            // std = 10^log10std, so std^2 = exp(2 ln(10) log10std)
            stdSquared = Transforms.exp(p.get(LOG_STD).castTo(DataType.DOUBLE).mul(2 * Math.log(10)), false);
        } else {
            return null;
        }
        return Transforms.max(stdSquared.sub(dbn.getEps()), 0.0, false);
    }

    /**
     * Copies matching parameters from a weights file into {@code target}, dispatching on what the file is: a DL4J
     * ComputationGraph zip (ModelSerializer: one of ours, or the zoo's resnet50_dl4j_inference zip) is copied by
     * layer name; PyTorch weights (safetensors, or a .pth/.pt zip) go to {@link #fromTorchStateDict}.
     */
    public static CopyReport fromFile(File file, ComputationGraph target) {
        return fromFile(file, target, true);
    }

    /**
     * @param strict for PyTorch weights: refuse a copy that leaves backbone parameters or checkpoint keys unmatched
     *               (model.pretrained-strict); a DL4J zip always copies what matches by name and reports the rest
     */
    public static CopyReport fromFile(File file, ComputationGraph target, boolean strict) {
        String name = file.getName().toLowerCase(Locale.ROOT);
        if (name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".keras")) {
            throw new IllegalArgumentException("pretrained file " + file + " is a Keras HDF5 model; Keras import "
                    + "(deeplearning4j-modelimport) is not bundled: convert it to a DL4J zip with KerasModelImport "
                    + "and ModelSerializer elsewhere, then pass the zip");
        }
        if (!file.isFile()) {
            throw new IllegalArgumentException("pretrained file " + file + " does not exist or is not a file");
        }
        return switch (WeightsKind.of(file)) {
            case DL4J_ZIP -> fromDl4jZip(file, target);
            case SAFETENSORS, PYTORCH_ZIP -> fromTorchStateDict(file, target, strict);
            case UNKNOWN -> throw new IllegalArgumentException("pretrained file " + file + " is not a DL4J "
                    + "ComputationGraph zip, nor safetensors, nor a PyTorch .pth/.pt zip");
        };
    }

    /** PyTorch weights (torchvision/timm key names) into a torchvision-layout network by {@link TorchWeights}. */
    static CopyReport fromTorchStateDict(File file, ComputationGraph target, boolean strict) {
        return TorchWeights.fromFile(file.toPath(), target, strict).toCopyReport();
    }

    private static CopyReport fromDl4jZip(File file, ComputationGraph target) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.toPath());
        } catch (IOException e) {
            throw new IllegalArgumentException("pretrained file " + file + " cannot be read: " + e.getMessage(), e);
        }
        ComputationGraph source;
        try {
            source = ModelZip.fromBytes(bytes, false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("pretrained file " + file
                    + " is not a DL4J ComputationGraph zip (ModelSerializer could not read it: " + e.getMessage() + ")", e);
        }
        InputNorm recorded = ModelZip.recordedInputNorm(bytes);
        return copyMatching(source, target).withInputNorm(recorded != null ? recorded : ZooNames.inputNormOf(source));
    }

    /** What a weights file is, from its first bytes and, for zips, its entries. */
    enum WeightsKind {
        DL4J_ZIP, SAFETENSORS, PYTORCH_ZIP, UNKNOWN;

        static WeightsKind of(File file) {
            byte[] head = new byte[9];
            int n;
            try (InputStream in = Files.newInputStream(file.toPath())) {
                n = in.readNBytes(head, 0, head.length);
            } catch (IOException e) {
                throw new IllegalArgumentException("pretrained file " + file + " cannot be read: " + e.getMessage(), e);
            }
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return zipKind(file);
            }
            // safetensors: an 8-byte little-endian header length, then the JSON header
            if (n == 9 && head[8] == '{' && ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() > 0) {
                return SAFETENSORS;
            }
            return UNKNOWN;
        }

        private static WeightsKind zipKind(File file) {
            try (ZipFile zip = new ZipFile(file)) {
                if (zip.getEntry("configuration.json") != null) {
                    return DL4J_ZIP;
                }
                // torch.save writes <archive>/data.pkl and <archive>/data/<storage>
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
                        return PYTORCH_ZIP;
                    }
                }
                return UNKNOWN;
            } catch (IOException e) {
                throw new IllegalArgumentException("pretrained file " + file + " starts like a zip but is not one: "
                        + e.getMessage(), e);
            }
        }
    }
}
