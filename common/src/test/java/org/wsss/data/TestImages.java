package org.wsss.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Real image files for the reader tests, written with ImageIO directly (not with the code under test). */
final class TestImages {

    private TestImages() {
    }

    /** A w x h image of flat colour blocks (so JPEG keeps the colours close): left half red-ish, right blue-ish. */
    static BufferedImage blocks(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? 0xc81e28 : 0x1e3cc8);
            }
        }
        return img;
    }

    static byte[] jpeg(int w, int h) {
        return encode(blocks(w, h), "jpeg");
    }

    /** A JPEG of random pixels: most of its bytes are scan data, so cutting it in half cuts the pixels. */
    static byte[] noisyJpeg(int w, int h, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rnd.nextInt(0x1000000));
            }
        }
        return encode(img, "jpeg");
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An 8-bit palette PNG whose pixel (x, y) has index values[y][x]; the palette is arbitrary (not VOC). */
    static byte[] palettePng(int[][] values) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (255 - i);
            g[i] = (byte) (i * 7);
            b[i] = (byte) (i * 13 + 5);
        }
        BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, g, b));
        fill(img, values);
        return encode(img, "png");
    }

    static byte[] greyPng(int[][] values) {
        BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
        fill(img, values);
        return encode(img, "png");
    }

    /** An RGB PNG whose pixel (x, y) has colour rgb[y][x] (0xRRGGBB). */
    static byte[] rgbPng(int[][] rgb) {
        BufferedImage img = new BufferedImage(rgb[0].length, rgb.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rgb.length; y++) {
            for (int x = 0; x < rgb[0].length; x++) {
                img.setRGB(x, y, rgb[y][x]);
            }
        }
        return encode(img, "png");
    }

    /**
     * A valid PNG whose IHDR declares {@code w} x {@code h} (CRC recomputed) over the pixel data of a 1x1 image:
     * a pixel bomb, a few hundred bytes that ask a decoder for gigabytes.
     */
    static byte[] pngDeclaring(int w, int h, boolean rgb) {
        byte[] png = rgb ? rgbPng(new int[][] {{0x102030}}) : greyPng(new int[][] {{7}});
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(w).putInt(h); // IHDR data starts at 16: width, height
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17); // chunk type and 13 data bytes
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        return png;
    }

    /** A baseline JPEG whose SOF0 declares {@code w} x {@code h} over the scan data of a 16x16 image. */
    static byte[] jpegDeclaring(int w, int h) {
        byte[] jpeg = jpeg(16, 16);
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                // FFC0, length (2), precision (1), height (2), width (2)
                java.nio.ByteBuffer.wrap(jpeg, i + 5, 4).putShort((short) h).putShort((short) w);
                return jpeg;
            }
        }
        throw new IllegalStateException("ImageIO wrote no SOF0 marker");
    }

    /** A mask of the given size that is 0 everywhere except {@code value} in the top-left quarter. */
    static int[][] quarterMask(int w, int h, int value) {
        int[][] m = new int[h][w];
        for (int y = 0; y < h / 2; y++) {
            for (int x = 0; x < w / 2; x++) {
                m[y][x] = value;
            }
        }
        return m;
    }

    private static void fill(BufferedImage img, int[][] values) {
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                img.getRaster().setSample(x, y, 0, values[y][x]);
            }
        }
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        return write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
