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
import org.wsss.data.VocPalette;

/**
 * Writes a few scenes (image | mask with points) to target/synthetic-preview for a human to look at: one file
 * per shapes-preset scene, and a 4 x 4 grid of hard-preset scenes in hard-grid.png.
 */
class SyntheticPreviewTest {
    private static final int IGNORE_RGB = (224 << 16) | (224 << 8) | 192;

    @Test
    void writesReadablePreviewPngs() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "synthetic-preview"));
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(8, 128, 7L, 0.2, 4));
        for (int i = 0; i < 8; i++) {
            Scene s = scenes.render(i);
            Path file = dir.resolve(s.imageId() + ".png");
            BufferedImage out = new BufferedImage(2 * 128, 128, BufferedImage.TYPE_INT_RGB);
            drawSideBySide(out, s, 0, 0);
            ImageIO.write(out, "png", file.toFile());
            BufferedImage back = ImageIO.read(file.toFile());
            assertEquals(2 * 128, back.getWidth());
            assertEquals(128, back.getHeight());
            int rgb = back.getRGB(5, 7);
            assertEquals(s.image().r(5, 7), (rgb >> 16) & 0xff, "red at (5,7) of " + file);
            assertEquals(s.image().b(5, 7), rgb & 0xff, "blue at (5,7) of " + file);
        }
        assertTrue(Files.size(dir.resolve("syn_000000.png")) > 1000);
    }

    @Test
    void writesAFourByFourGridOfHardScenes() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "synthetic-preview"));
        int n = 128;
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(16, n, 7L, 0.2, 3, SyntheticPreset.HARD));
        BufferedImage out = new BufferedImage(4 * 2 * n, 4 * n, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 16; i++) {
            drawSideBySide(out, scenes.render(i), (i % 4) * 2 * n, (i / 4) * n);
        }
        Path file = dir.resolve("hard-grid.png");
        ImageIO.write(out, "png", file.toFile());
        Scene last = scenes.render(15);
        BufferedImage back = ImageIO.read(file.toFile());
        int rgb = back.getRGB(3 * 2 * n + 9, 3 * n + 4);
        assertEquals(last.image().g(9, 4), (rgb >> 8) & 0xff, "green at (9,4) of scene 15 in " + file);
    }

    /** Image at (x0, y0), its mask in the VOC palette to the right, each point a white cross on the mask. */
    private static void drawSideBySide(BufferedImage out, Scene s, int x0, int y0) {
        int n = s.image().width();
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out.setRGB(x0 + x, y0 + y, (s.image().r(x, y) << 16) | (s.image().g(x, y) << 8) | s.image().b(x, y));
                int v = s.mask().get(x, y);
                out.setRGB(x0 + n + x, y0 + y, v == LabelMask.IGNORE ? IGNORE_RGB : VocPalette.rgb(v));
            }
        }
        for (Point p : s.points()) {
            for (int d = -2; d <= 2; d++) {
                mark(out, p.x() + d, p.y(), n, x0, y0);
                mark(out, p.x(), p.y() + d, n, x0, y0);
            }
        }
    }

    private static void mark(BufferedImage out, int x, int y, int n, int x0, int y0) {
        if (x >= 0 && x < n && y >= 0 && y < n) {
            out.setRGB(x0 + n + x, y0 + y, 0xffffff);
        }
    }
}
