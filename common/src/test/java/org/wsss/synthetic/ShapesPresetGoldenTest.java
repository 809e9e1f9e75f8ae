package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.wsss.data.Point;

/**
 * The default ("shapes") preset must render the very bytes it rendered before presets existed: the demo's
 * numbers and the tuned defaults depend on them. The digests were printed by {@link #digest} over the generator
 * at commit d61f525 (before the "hard" preset was added), so any change to the shapes path shows up here.
 */
class ShapesPresetGoldenTest {

    @Test
    void defaultDemoScenesAreUnchanged() throws Exception {
        // the demo's own spec: dataset.synthetic.* defaults (400 images, 96 px, seed 7, val 0.2, 4 objects)
        assertEquals("47667f4031790a1ac2e468308302e928",
                digest(new SyntheticScenes(new SyntheticSpec(400, 96, 7L, 0.2, 4)), 0, 40));
    }

    @Test
    void otherSizesSeedsAndObjectCountsAreUnchanged() throws Exception {
        assertEquals("dd9449746a945b13b781e50a41bb9f66/d695c14e8c5221267078b1681107c375",
                digest(new SyntheticScenes(new SyntheticSpec(1000, 128, 2024L, 0.3, 6)), 950, 20) + "/"
                        + digest(new SyntheticScenes(new SyntheticSpec(30, 48, -5L, 0.5, 1)), 0, 30));
    }

    /** SHA-256 over id, split, image bytes, mask bytes, labels and points of scenes [from, from + n). */
    static String digest(SyntheticScenes scenes, int from, int n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = from; i < from + n; i++) {
            Scene s = scenes.render(i);
            md.update((s.imageId() + "|" + s.split()).getBytes(StandardCharsets.UTF_8));
            md.update(s.image().rgb());
            md.update(s.mask().labels());
            for (int l : s.labels()) {
                md.update((byte) l);
            }
            for (Point p : s.points()) {
                md.update((p.x() + "," + p.y() + "," + p.classIndex() + ";").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    }
}
