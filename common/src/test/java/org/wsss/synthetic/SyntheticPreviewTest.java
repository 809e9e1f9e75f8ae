package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;

/** Writes a few scenes (image | mask with points) to target/synthetic-preview for a human to look at. */
class SyntheticPreviewTest {
    private static final int[][] PALETTE = {{0, 0, 0}, {128, 0, 0}, {0, 128, 0}, {128, 128, 0}, {0, 0, 128},
        {128, 0, 128}, {0, 128, 128}};

    @Test
    void writesReadablePreviewPngs() throws IOException {
        Path dir = Path.of("target", "synthetic-preview");
        Files.createDirectories(dir);
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(8, 128, 7L, 0.2, 4));
        for (int i = 0; i < 8; i++) {
            Scene s = scenes.render(i);
            Path file = dir.resolve(s.imageId() + ".png");
            ImageIO.write(sideBySide(s), "png", file.toFile());
            BufferedImage back = ImageIO.read(file.toFile());
            assertEquals(2 * 128, back.getWidth());
            assertEquals(128, back.getHeight());
            int rgb = back.getRGB(5, 7);
            assertEquals(s.image().r(5, 7), (rgb >> 16) & 0xff, "red at (5,7) of " + file);
            assertEquals(s.image().b(5, 7), rgb & 0xff, "blue at (5,7) of " + file);
        }
        assertTrue(Files.size(dir.resolve("syn_000000.png")) > 1000);
    }

    private static BufferedImage sideBySide(Scene s) {
        int n = s.image().width();
        BufferedImage out = new BufferedImage(2 * n, n, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out.setRGB(x, y, (s.image().r(x, y) << 16) | (s.image().g(x, y) << 8) | s.image().b(x, y));
                int v = s.mask().get(x, y);
                int[] c = v == LabelMask.IGNORE ? new int[] {224, 224, 192} : PALETTE[v];
                out.setRGB(n + x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
            }
        }
        for (Point p : s.points()) {
            for (int d = -2; d <= 2; d++) {
                mark(out, n + p.x() + d, p.y(), n);
                mark(out, n + p.x(), p.y() + d, n);
            }
        }
        return out;
    }

    private static void mark(BufferedImage out, int x, int y, int n) {
        if (x >= n && x < 2 * n && y >= 0 && y < n) {
            out.setRGB(x, y, 0xffffff);
        }
    }
}
