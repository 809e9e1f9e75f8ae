package org.wsss.jobs;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes a small VOC-layout dataset with real JPEG/PNG files, good and deliberately broken images. */
public final class VocFixture {
    private VocFixture() {
    }

    public static Path create(Path root) throws IOException {
        for (String d : new String[]{"JPEGImages", "SegmentationClass", "Annotations", "ImageSets/Segmentation"}) {
            Files.createDirectories(root.resolve(d));
        }
        // good: XML says cat; mask has cat (1) and an ignore border
        writeJpeg(root, "good_xml", 40, 30);
        writeMask(root, "good_xml", 40, 30, 1);
        writeXml(root, "good_xml", "cat");
        // good: no XML, labels come from the mask (dog = 2)
        writeJpeg(root, "good_mask", 32, 32);
        writeMask(root, "good_mask", 32, 32, 2);
        // truncated JPEG: the first half of a valid file
        byte[] full = jpegBytes(48, 40);
        Files.write(root.resolve("JPEGImages/truncated.jpg"), Arrays.copyOf(full, full.length / 2));
        writeXml(root, "truncated", "cat");
        // mask size differs from the image
        writeJpeg(root, "bad_size", 40, 30);
        writeMask(root, "bad_size", 41, 30, 1);
        // label not in the class list
        writeJpeg(root, "zebra", 20, 20);
        writeXml(root, "zebra", "zebra");
        // "missing" is listed but has no image
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"),
                "good_xml\ntruncated\nbad_size\nzebra\nmissing\n");
        Files.writeString(root.resolve("ImageSets/Segmentation/val.txt"), "good_mask\n");
        return root;
    }

    static byte[] jpegBytes(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 7) & 0xff) << 16 | ((y * 5) & 0xff) << 8 | ((x * y) & 0xff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    /**
     * A valid RGB PNG whose IHDR declares {@code w} x {@code h} (CRC recomputed) over the pixel data of a 1x1
     * image: a pixel bomb of a few hundred bytes.
     */
    static byte[] pngDeclaring(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", out);
        byte[] png = out.toByteArray();
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(w).putInt(h); // IHDR data starts at 16: width, height
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17); // chunk type and 13 data bytes
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        return png;
    }

    static void writeJpeg(Path root, String id, int w, int h) throws IOException {
        Files.write(root.resolve("JPEGImages/" + id + ".jpg"), jpegBytes(w, h));
    }

    /** A palette mask: the left half background, the right half {@code cls}, a 255 column between. */
    static void writeMask(Path root, String id, int w, int h, int cls) throws IOException {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        r[1] = (byte) 128;
        g[2] = (byte) 128;
        r[255] = (byte) 224;
        g[255] = (byte) 224;
        b[255] = (byte) 192;
        BufferedImage m = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = x < w / 2 ? 0 : x == w / 2 ? 255 : cls;
                m.getRaster().setSample(x, y, 0, v);
            }
        }
        ImageIO.write(m, "png", root.resolve("SegmentationClass/" + id + ".png").toFile());
    }

    static void writeXml(Path root, String id, String... names) throws IOException {
        StringBuilder sb = new StringBuilder("<annotation><filename>" + id + ".jpg</filename>");
        for (String n : names) {
            sb.append("<object><name>").append(n).append("</name><difficult>0</difficult></object>");
        }
        Files.writeString(root.resolve("Annotations/" + id + ".xml"), sb.append("</annotation>").toString());
    }
}
