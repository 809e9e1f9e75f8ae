package org.wsss.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies a torchvision or timm ResNet state_dict into a {@link TorchResNet}-layout network. Keys are the
 * PyTorch module path plus the parameter ("layer3.5.conv2.weight"); a leading "module." (DataParallel) is
 * dropped and timm's "head.fc." is read as "fc.". Conv weights are [out, in, kh, kw] in both PyTorch and DL4J
 * (ConvolutionParamInitializer) and copy as they are; a linear weight is [out, in] in PyTorch and [in, out]
 * in DL4J and is transposed; BatchNorm2d weight, bias, running_mean, running_var become gamma, beta, mean, var
 * (DL4J's vector shape); num_batches_tracked has no counterpart and is ignored.
 *
 * <p>A network layer whose name is a torchvision module path (conv1, bn1, layerN.B..., fc) is expected in the
 * checkpoint; other layers (a task head, AffinityNet's or DeepLab's added layers) are new and keep their
 * initialisation. Checkpoint keys of a classification head ("fc.") that the network has no layer for are not
 * copied: the head is new.
 */
public final class TorchWeights {

    private static final Pattern TORCH_MODULE = Pattern.compile("conv1|bn1|fc|layer[1-4]\\.\\d+\\..+");
    private static final String NEW_HEAD = "head: not copied (new layer)";

    /**
     * @param copied     "checkpoint key -> layer/param" for every array copied
     * @param missing    network parameters ("layer/param", with the checkpoint key expected) the checkpoint lacks
     * @param mismatched "key (shape in checkpoint vs network)"
     * @param unused     checkpoint keys no network parameter takes, with the reason
     * @param headKeys   checkpoint keys of the classification head not copied because the network's head is new
     */
    public record Report(List<String> copied, List<String> missing, List<String> mismatched, List<String> unused,
                         List<String> headKeys) {
        public Report {
            copied = List.copyOf(copied);
            missing = List.copyOf(missing);
            mismatched = List.copyOf(mismatched);
            unused = List.copyOf(unused);
            headKeys = List.copyOf(headKeys);
        }

        /** True when every expected parameter was found in the right shape and every backbone key was used. */
        public boolean complete() {
            return missing.isEmpty() && mismatched.isEmpty() && unused.isEmpty();
        }

        /** The same facts in {@link PretrainedInit}'s report form (metrics count copied and skipped arrays). */
        public PretrainedInit.CopyReport toCopyReport() {
            List<String> skipped = new ArrayList<>();
            missing.forEach(m -> skipped.add(m + " (missing from the checkpoint)"));
            skipped.addAll(mismatched);
            List<String> notUsed = new ArrayList<>(unused);
            headKeys.forEach(h -> notUsed.add(h + " (" + NEW_HEAD + ")"));
            return new PretrainedInit.CopyReport(copied, skipped, notUsed, InputNorm.TORCHVISION);
        }

        public String summary() {
            StringBuilder sb = new StringBuilder("copied ").append(copied.size()).append(" parameter arrays");
            if (!headKeys.isEmpty()) {
                sb.append("; ").append(NEW_HEAD).append(": ").append(headKeys);
            }
            if (!missing.isEmpty()) {
                sb.append("; missing from the checkpoint (").append(missing.size()).append("): ").append(abbreviate(missing));
            }
            if (!mismatched.isEmpty()) {
                sb.append("; shape mismatches (").append(mismatched.size()).append("): ").append(abbreviate(mismatched));
            }
            if (!unused.isEmpty()) {
                sb.append("; unused checkpoint keys (").append(unused.size()).append("): ").append(abbreviate(unused));
            }
            return sb.toString();
        }
    }

    private TorchWeights() {
    }

    /**
     * Copies {@code state} into {@code net}. When {@code strict}, nothing is copied unless the report is
     * {@linkplain Report#complete() complete}; otherwise an IllegalArgumentException names the missing,
     * mismatched and unused keys. Not strict: every matching array is copied and the rest is reported.
     *
     * @param source names the checkpoint in messages
     */
    public static Report copy(Map<String, INDArray> state, ComputationGraph net, boolean strict, String source) {
        Map<String, INDArray> byKey = new LinkedHashMap<>();
        Map<String, String> original = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String key = normalise(e.getKey());
            byKey.put(key, e.getValue());
            original.put(key, e.getKey());
        }
        List<String> copied = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<String, INDArray[]> plan = new LinkedHashMap<>(); // checkpoint key -> {source (converted), target}
        Map<String, String> used = new TreeMap<>();
        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0 || !TORCH_MODULE.matcher(name).matches()) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                String key = name + "." + torchParam(layer, p.getKey());
                INDArray target = p.getValue();
                INDArray from = byKey.get(key);
                if (from == null) {
                    missing.add(name + "/" + p.getKey() + " (" + key + ")");
                    continue;
                }
                used.put(key, name + "/" + p.getKey());
                INDArray converted = toDl4j(layer, p.getKey(), from, target);
                if (converted == null || !Arrays.equals(converted.shape(), target.shape())) {
                    mismatched.add(original.get(key) + " (shape " + Arrays.toString(from.shape())
                            + " in the checkpoint, network " + name + "/" + p.getKey() + " needs "
                            + Arrays.toString(torchShape(layer, p.getKey(), target)) + ")");
                    continue;
                }
                plan.put(key, new INDArray[] {converted, target});
            }
        }
        boolean netHasFc = net.getConfiguration().getVertices().containsKey("fc");
        List<String> unused = new ArrayList<>();
        List<String> headKeys = new ArrayList<>();
        for (String key : byKey.keySet()) {
            if (used.containsKey(key) || key.endsWith(".num_batches_tracked")) {
                continue;
            }
            if (!netHasFc && key.startsWith("fc.")) {
                headKeys.add(original.get(key));
            } else {
                unused.add(original.get(key) + " (no such parameter in the network)");
            }
        }
        Report report = new Report(copied, missing, mismatched, unused, headKeys);
        if (strict && !report.complete()) {
            throw new IllegalArgumentException("pretrained weights " + source + " do not match the network ("
                    + "model.pretrained-strict = true refuses a partial copy; nothing was copied, " + plan.size()
                    + " arrays matched): " + report.summary().replaceFirst("^copied 0 parameter arrays; ", "")
                    + ". Check the architecture (resnet50 vs resnet101), or set model.pretrained-strict = false "
                    + "to copy what matches");
        }
        for (Map.Entry<String, INDArray[]> e : plan.entrySet()) {
            INDArray[] st = e.getValue();
            // paramTable's arrays are views of the network's flat parameter vector: assign writes through.
            st[1].assign(st[0].castTo(st[1].dataType()));
            copied.add(original.get(e.getKey()) + " -> " + used.get(e.getKey()));
        }
        return new Report(copied, missing, mismatched, unused, headKeys);
    }

    /** Reads a state_dict ({@link org.wsss.nn.weights.WeightsFile}) and {@linkplain #copy copies} it into {@code net}. */
    public static Report fromFile(java.nio.file.Path file, ComputationGraph net, boolean strict) {
        Map<String, INDArray> state;
        try {
            state = org.wsss.nn.weights.WeightsFile.read(file);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("pretrained file " + file + ": " + e.getMessage(), e);
        }
        return copy(state, net, strict, file.toString());
    }

    /** Drops DataParallel's "module." and maps timm's "head.fc." to torchvision's "fc.". */
    static String normalise(String key) {
        String k = key.startsWith("module.") ? key.substring("module.".length()) : key;
        return k.startsWith("head.fc.") ? k.substring("head.".length()) : k;
    }

    private static String torchParam(Layer layer, String dl4jParam) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof BatchNormalization) {
            return switch (dl4jParam) {
                case "gamma" -> "weight";
                case "beta" -> "bias";
                case "mean" -> "running_mean";
                case "var" -> "running_var";
                default -> dl4jParam; // log10stdev: a layer built with useLogStd, which has no PyTorch key
            };
        }
        return switch (dl4jParam) {
            case "W" -> "weight";
            case "b" -> "bias";
            default -> dl4jParam;
        };
    }

    /** The checkpoint array in the network's layout, or null when its rank cannot be that parameter's. */
    private static INDArray toDl4j(Layer layer, String dl4jParam, INDArray from, INDArray target) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (isDense(conf) && dl4jParam.equals("W")) {
            return from.rank() == 2 ? from.transpose() : null;
        }
        if (conf instanceof ConvolutionLayer && dl4jParam.equals("W")) {
            return from.rank() == 4 ? from : null;
        }
        // DL4J keeps a bias or BN vector as [C] or [1, C] depending on the layer
        return from.rank() == 1 && from.length() == target.length() ? from.reshape(target.shape()) : null;
    }

    /** The shape a checkpoint array must have for this parameter (for messages). */
    private static long[] torchShape(Layer layer, String dl4jParam, INDArray target) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (isDense(conf) && dl4jParam.equals("W")) {
            return new long[] {target.size(1), target.size(0)};
        }
        if (conf instanceof ConvolutionLayer && dl4jParam.equals("W")) {
            return target.shape();
        }
        return new long[] {target.length()};
    }

    private static boolean isDense(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof DenseLayer || conf instanceof BaseOutputLayer;
    }

    /**
     * The {@link TorchResNet.Spec} a torchvision-layout state_dict was saved from (stem width from conv1, each
     * stage's planes from its first conv1 and its block count from the highest block index) and its head size
     * (fc.weight rows, 0 without fc).
     */
    public record Inferred(TorchResNet.Spec spec, int numClasses) {
    }

    private static final Pattern BLOCK_KEY = Pattern.compile("layer([1-4])\\.(\\d+)\\.conv1\\.weight");

    public static Inferred inferArchitecture(Map<String, INDArray> state, String source) {
        Map<String, INDArray> byKey = new LinkedHashMap<>();
        state.forEach((k, v) -> byKey.put(normalise(k), v));
        INDArray conv1 = byKey.get("conv1.weight");
        if (conv1 == null || conv1.rank() != 4) {
            throw new IllegalArgumentException(source + " is not a torchvision-layout ResNet state_dict: no 4-d "
                    + "conv1.weight (keys start with " + abbreviate(new ArrayList<>(byKey.keySet())) + ")");
        }
        int[] blocks = new int[4];
        int[] planes = new int[4];
        for (Map.Entry<String, INDArray> e : byKey.entrySet()) {
            Matcher m = BLOCK_KEY.matcher(e.getKey());
            if (m.matches()) {
                int s = Integer.parseInt(m.group(1)) - 1;
                int b = Integer.parseInt(m.group(2));
                blocks[s] = Math.max(blocks[s], b + 1);
                if (b == 0) {
                    planes[s] = (int) e.getValue().size(0);
                }
            }
        }
        for (int s = 0; s < 4; s++) {
            if (blocks[s] == 0 || planes[s] == 0) {
                throw new IllegalArgumentException(source + " is not a torchvision-layout Bottleneck ResNet: no "
                        + "layer" + (s + 1) + ".0.conv1.weight");
            }
        }
        INDArray fc = byKey.get("fc.weight");
        return new Inferred(new TorchResNet.Spec((int) conv1.size(0), planes, blocks),
                fc == null ? 0 : (int) fc.size(0));
    }

    private static String abbreviate(List<String> items) {
        int shown = 12;
        return items.size() <= shown ? items.toString()
                : items.subList(0, shown) + " and " + (items.size() - shown) + " more";
    }
}
