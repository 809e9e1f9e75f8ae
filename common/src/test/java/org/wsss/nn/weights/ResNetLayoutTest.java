package org.wsss.nn.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResNetLayoutTest {
    /** Only the keys detection looks at; shapes of [1] except the stem conv and fc. */
    private static Map<String, long[]> keys(boolean bottleneck, boolean fc, int... blocks) {
        Map<String, long[]> k = new LinkedHashMap<>();
        k.put("conv1.weight", new long[] {64, 3, 7, 7});
        k.put("bn1.running_var", new long[] {64});
        for (int s = 1; s <= 4; s++) {
            for (int b = 0; b < blocks[s - 1]; b++) {
                for (int c = 1; c <= (bottleneck ? 3 : 2); c++) {
                    k.put("layer" + s + "." + b + ".conv" + c + ".weight", new long[] {1});
                }
                if (b == 0 && s > 1) {
                    k.put("layer" + s + ".0.downsample.1.bias", new long[] {1});
                }
            }
        }
        if (fc) {
            k.put("fc.weight", new long[] {1000, bottleneck ? 2048 : 512});
        }
        return k;
    }

    @Test
    void torchvisionDepthsFromBlocksAndBlockKind() {
        assertEquals(18, ResNetLayout.detect(keys(false, true, 2, 2, 2, 2)).orElseThrow().depth());
        assertEquals(34, ResNetLayout.detect(keys(false, true, 3, 4, 6, 3)).orElseThrow().depth());
        assertEquals(50, ResNetLayout.detect(keys(true, true, 3, 4, 6, 3)).orElseThrow().depth());
        assertEquals(101, ResNetLayout.detect(keys(true, true, 3, 4, 23, 3)).orElseThrow().depth());
        assertEquals(152, ResNetLayout.detect(keys(true, true, 3, 8, 36, 3)).orElseThrow().depth());
    }

    @Test
    void headAndStemAreReported() {
        ResNetLayout r = ResNetLayout.detect(keys(true, true, 3, 4, 6, 3)).orElseThrow();
        assertArrayEquals(new int[] {3, 4, 6, 3}, r.blocks());
        assertEquals(1000, r.fcClasses());
        assertEquals(2048, r.fcFeatures());
        assertEquals(64, r.stemChannels());
        ResNetLayout headless = ResNetLayout.detect(keys(true, false, 3, 4, 6, 3)).orElseThrow();
        assertTrue(headless.describe().endsWith("no fc)"), headless.describe());
    }

    @Test
    void otherBlockCountsAndOtherKeySetsAreNotNamedAsTorchvisionDepths() {
        ResNetLayout odd = ResNetLayout.detect(keys(true, true, 1, 1, 2, 1)).orElseThrow();
        assertEquals(0, odd.depth());
        assertTrue(odd.describe().contains("ResNet-like"), odd.describe());
        assertFalse(ResNetLayout.detect(Map.of("features.0.weight", new long[] {64, 3, 3, 3})).isPresent());
    }
}
