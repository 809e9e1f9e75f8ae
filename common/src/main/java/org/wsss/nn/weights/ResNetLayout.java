package org.wsss.nn.weights;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The torchvision/timm ResNet a state_dict's keys describe ({@code conv1.weight}, {@code layer3.5.conv2.weight},
 * {@code fc.weight}): blocks per stage, bottleneck or basic blocks, stem width and the {@code fc} head.
 *
 * @param depth        18, 34, 50, 101 or 152 when the blocks match torchvision's, else 0
 * @param fcClasses    rows of {@code fc.weight}, 0 when the file has no {@code fc}
 * @param fcFeatures   columns of {@code fc.weight}, 0 when the file has no {@code fc}
 */
public record ResNetLayout(int depth, int[] blocks, boolean bottleneck, long stemChannels, long fcClasses,
        long fcFeatures) {
    private static final Pattern BLOCK = Pattern.compile("layer([1-4])\\.(\\d+)\\..*");

    /** @return the layout when the keys are torchvision/timm ResNet keys, else empty */
    public static Optional<ResNetLayout> detect(Map<String, long[]> shapes) {
        long[] stem = shapes.get("conv1.weight");
        if (stem == null || stem.length != 4 || !shapes.containsKey("layer1.0.conv1.weight")) {
            return Optional.empty();
        }
        int[] blocks = new int[4];
        for (int stage = 1; stage <= 4; stage++) {
            TreeSet<Integer> indices = new TreeSet<>();
            for (String key : shapes.keySet()) {
                Matcher m = BLOCK.matcher(key);
                if (m.matches() && Integer.parseInt(m.group(1)) == stage) {
                    indices.add(Integer.parseInt(m.group(2)));
                }
            }
            blocks[stage - 1] = indices.size();
        }
        boolean bottleneck = shapes.containsKey("layer1.0.conv3.weight");
        long[] fc = shapes.get("fc.weight");
        boolean hasFc = fc != null && fc.length == 2;
        return Optional.of(new ResNetLayout(depth(blocks, bottleneck), blocks, bottleneck, stem[0],
                hasFc ? fc[0] : 0, hasFc ? fc[1] : 0));
    }

    private static int depth(int[] blocks, boolean bottleneck) {
        // torchvision's resnet18..152: depth = 2 (stem conv, fc) + convolutions per block * blocks.
        int[][] known = bottleneck ? new int[][] {{3, 4, 6, 3}, {3, 4, 23, 3}, {3, 8, 36, 3}}
                : new int[][] {{2, 2, 2, 2}, {3, 4, 6, 3}};
        for (int[] k : known) {
            if (Arrays.equals(k, blocks)) {
                return 2 + (bottleneck ? 3 : 2) * Arrays.stream(blocks).sum();
            }
        }
        return 0;
    }

    /** E.g. "torchvision/timm ResNet-50 (bottleneck blocks 3-4-6-3, stem 64 channels, fc 1000 classes from 2048 features)". */
    public String describe() {
        String blockList = Arrays.stream(blocks).mapToObj(Integer::toString).reduce((a, b) -> a + "-" + b).orElse("");
        return "torchvision/timm " + (depth > 0 ? "ResNet-" + depth : "ResNet-like (depth not torchvision's)")
                + " (" + (bottleneck ? "bottleneck" : "basic") + " blocks " + blockList + ", stem " + stemChannels
                + " channels, " + (fcClasses > 0 ? "fc " + fcClasses + " classes from " + fcFeatures + " features"
                : "no fc") + ")";
    }
}
