package org.wsss.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The names one ResNet-50 layer has in the zoo-layout net ({@link ClassifierNets#resnet50Zoo}, named as DL4J's zoo
 * builder names it: {@code stem-cnn1}, {@code res2a_branch2a}, {@code bn2a_branch1}, ...), in Keras' original
 * ResNet-50 (as DL4J's Keras import keeps them: {@code conv1}, {@code bn_conv1}, then the same block names) and in
 * tf.keras' ResNet-50 ({@code conv1_conv}, {@code conv2_block1_1_conv}, {@code conv2_block1_0_bn}, ...).
 */
public final class ZooNames {
    private static final Pattern BLOCK = Pattern.compile("(res|bn)([2-5])([a-z])_branch(2a|2b|2c|1)");

    private ZooNames() {
    }

    /** Source layer names to look for, in order, for our layer {@code name}: itself first. */
    public static List<String> candidates(String name) {
        List<String> out = new ArrayList<>(List.of(name));
        switch (name) {
            case "stem-cnn1" -> out.addAll(List.of("conv1", "conv1_conv"));
            case "stem-batch1" -> out.addAll(List.of("bn_conv1", "conv1_bn"));
            default -> {
                Matcher m = BLOCK.matcher(name);
                if (m.matches()) {
                    int block = m.group(3).charAt(0) - 'a' + 1;
                    int conv = switch (m.group(4)) {
                        case "1" -> 0;
                        case "2a" -> 1;
                        case "2b" -> 2;
                        default -> 3;
                    };
                    out.add("conv" + m.group(2) + "_block" + block + "_" + conv + (m.group(1).equals("res") ? "_conv" : "_bn"));
                }
            }
        }
        return out;
    }

    /**
     * The input normalisation a DL4J graph without a record expects: a ResNet-50 from outside this project (the
     * zoo's or a Keras import: its stem under one of those names, and an input not named as ours,
     * {@link ClassifierNets#INPUT}) was trained on Caffe-style input; anything else is taken as one of our own
     * models from before the record, which were all trained torchvision-style.
     */
    public static InputNorm inputNormOf(ComputationGraph net) {
        boolean ours = net.getConfiguration().getNetworkInputs().contains(ClassifierNets.INPUT);
        boolean resnetStem = candidates("stem-cnn1").stream()
                .anyMatch(n -> net.getConfiguration().getVertices().containsKey(n));
        return !ours && resnetStem ? InputNorm.CAFFE : InputNorm.TORCHVISION;
    }
}
