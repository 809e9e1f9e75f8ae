package org.wsss.it;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A VOC-layout folder with a custom class list (apple, pear), written with ImageIO, one image truncated. */
final class VocTree {
    private VocTree() {
    }

    static Path write(Path root, int goodImages) throws IOException {
        for (String d : new String[]{"JPEGImages", "SegmentationClass", "Annotations", "ImageSets/Segmentation"}) {
            Files.createDirectories(root.resolve(d));
        }
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < goodImages; i++) {
            String id = String.format("img_%03d", i);
            int cls = 1 + i % 2;
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    img.setRGB(x, y, x > 32 ? (cls == 1 ? 0xcc2222 : 0x22cc22) : 0x333333 + (x * y % 17));
                }
            }
            ImageIO.write(img, "jpg", root.resolve("JPEGImages/" + id + ".jpg").toFile());
            byte[] r = new byte[256], g = new byte[256], b = new byte[256];
            BufferedImage m = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_INDEXED,
                    new IndexColorModel(8, 256, r, g, b));
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    m.getRaster().setSample(x, y, 0, x > 33 ? cls : x >= 32 ? 255 : 0);
                }
            }
            ImageIO.write(m, "png", root.resolve("SegmentationClass/" + id + ".png").toFile());
            Files.writeString(root.resolve("Annotations/" + id + ".xml"), "<annotation><object><name>"
                    + (cls == 1 ? "apple" : "pear") + "</name></object></annotation>");
            train.append(id).append('\n');
        }
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", bytes);
        Files.write(root.resolve("JPEGImages/cut.jpg"), Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
        Files.writeString(root.resolve("Annotations/cut.xml"), "<annotation><object><name>apple</name></object></annotation>");
        train.append("cut\n");
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), train.toString());
        Files.writeString(root.resolve("ImageSets/Segmentation/val.txt"), "");
        return root;
    }
}
