package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {

    private static final int RED_BLOCK = 0xc81e28;
    private static final int BLUE_BLOCK = 0x1e3cc8;

    @Test
    void decodesJpegSizeFormatAndColours() throws Exception {
        DecodedImage d = ImageCodec.decode(TestImages.jpeg(40, 24), "a.jpg");
        assertEquals("jpeg", d.format());
        assertEquals(40, d.width());
        assertEquals(24, d.height());
        assertNear(RED_BLOCK, d.image(), 5, 12, 10);
        assertNear(BLUE_BLOCK, d.image(), 35, 12, 10);
    }

    @Test
    void decodesRgbPngExactly() throws Exception {
        int[][] rgb = {{0x010203, 0xfffefd}, {0x808080, 0x00ff00}};
        DecodedImage d = ImageCodec.decode(TestImages.rgbPng(rgb), "a.png");
        assertEquals("png", d.format());
        assertRgb(0x010203, d.image(), 0, 0);
        assertRgb(0xfffefd, d.image(), 1, 0);
        assertRgb(0x808080, d.image(), 0, 1);
        assertRgb(0x00ff00, d.image(), 1, 1);
    }

    @Test
    void greyPngKeepsItsValuesAsRgb() throws Exception {
        DecodedImage d = ImageCodec.decode(TestImages.greyPng(new int[][] {{0, 128, 255}}), "g.png");
        assertRgb(0x000000, d.image(), 0, 0);
        assertRgb(0x808080, d.image(), 1, 0);
        assertRgb(0xffffff, d.image(), 2, 0);
    }

    @Test
    void palettePngDecodesToItsPaletteColours() throws Exception {
        // TestImages palette: r = 255 - i, g = 7i, b = 13i + 5 (mod 256)
        DecodedImage d = ImageCodec.decode(TestImages.palettePng(new int[][] {{0, 10}}), "p.png");
        assertRgb(0xff0005, d.image(), 0, 0);
        assertRgb((245 << 16) | (70 << 8) | 135, d.image(), 1, 0);
    }

    @Test
    void alphaIsDropped() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xff102030);
        img.setRGB(1, 0, 0x80405060);
        DecodedImage d = ImageCodec.decode(TestImages.encode(img, "png"), "alpha.png");
        assertRgb(0x102030, d.image(), 0, 0);
        assertRgb(0x405060, d.image(), 1, 0);
    }

    @Test
    void jpegCutInHalfIsQuarantinedAsTruncated() {
        byte[] jpeg = TestImages.noisyJpeg(128, 96, 2);
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decode(Arrays.copyOf(jpeg, jpeg.length / 2), "JPEGImages/cut.jpg"));
        assertTrue(e.reason().startsWith("truncated JPEG"), e.reason());
        assertTrue(e.reason().contains("JPEGImages/cut.jpg"), e.reason());
    }

    @Test
    void jpegWithEndMarkerButMissingDataIsQuarantinedFromTheDecoderWarning() {
        byte[] jpeg = TestImages.noisyJpeg(128, 96, 3);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xff;
        cut[cut.length - 1] = (byte) 0xd9;
        QuarantineException e = assertThrows(QuarantineException.class, () -> ImageCodec.decode(cut, "x.jpg"));
        assertTrue(e.reason().startsWith("truncated JPEG"), e.reason());
    }

    @Test
    void jpegWithTrailingZeroPaddingIsAccepted() throws Exception {
        byte[] jpeg = TestImages.jpeg(16, 16);
        DecodedImage d = ImageCodec.decode(Arrays.copyOf(jpeg, jpeg.length + 100), "padded.jpg");
        assertEquals(16, d.width());
    }

    @Test
    void emptyGarbageAndTruncatedPngAreQuarantined() {
        assertEquals("empty file: e.jpg",
                assertThrows(QuarantineException.class, () -> ImageCodec.decode(new byte[0], "e.jpg")).reason());
        assertEquals("not a JPEG or PNG image: g.jpg", assertThrows(QuarantineException.class,
                () -> ImageCodec.decode("GIF89a garbage".getBytes(), "g.jpg")).reason());
        byte[] png = TestImages.rgbPng(new int[][] {{1, 2, 3}, {4, 5, 6}});
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decode(Arrays.copyOf(png, png.length / 2), "t.png"));
        assertTrue(e.reason().contains("PNG") && e.reason().contains("t.png"), e.reason());
        byte[] badBody = TestImages.jpeg(16, 16);
        Arrays.fill(badBody, 4, badBody.length - 2, (byte) 0x11);
        QuarantineException bad = assertThrows(QuarantineException.class, () -> ImageCodec.decode(badBody, "b.jpg"));
        assertTrue(bad.reason().contains("b.jpg"), bad.reason());
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.decodeRgb(new byte[] {1, 2, 3}));
    }

    @Test
    void pngEncodingRoundTripsExactly() throws IOException {
        byte[] rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 17);
        }
        byte[] png = ImageCodec.encodePng(new RgbImage(5, 3, rgb));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(5, back.getWidth());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int i = (y * 5 + x) * 3;
                int expected = ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
                assertEquals(expected, back.getRGB(x, y) & 0xffffff);
            }
        }
        assertArrayEquals(rgb, ImageCodec.decodeRgb(png).rgb());
    }

    @Test
    void jpegQualityControlsSizeAndKeepsColours() throws IOException {
        RgbImage src = ImageCodec.decodeRgb(TestImages.encode(TestImages.blocks(64, 64), "png"));
        byte[] best = ImageCodec.encodeJpeg(src, 1f);
        byte[] worst = ImageCodec.encodeJpeg(src, 0.05f);
        assertTrue(worst.length < best.length, worst.length + " vs " + best.length);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(best));
        assertNear(RED_BLOCK, back.getRGB(10, 10), 6);
        assertNear(BLUE_BLOCK, back.getRGB(50, 40), 6);
        assertThrows(IllegalArgumentException.class, () -> ImageCodec.encodeJpeg(src, 1.5f));
    }

    @Test
    void paletteMaskGivesTheIndexNotTheColour() throws Exception {
        int[][] values = {{0, 1, 2}, {255, 20, 7}};
        LabelMask m = ImageCodec.decodeMask(TestImages.palettePng(values), "m.png");
        assertMask(values, m);
    }

    @Test
    void greyMaskGivesTheValue() throws Exception {
        int[][] values = {{0, 3}, {255, 19}};
        assertMask(values, ImageCodec.decodeMask(TestImages.greyPng(values), "g.png"));
    }

    @Test
    void rgbMaskMapsVocColoursToIndices() throws Exception {
        int[][] colours = {{0x000000, 0x800000, 0x008000}, {0xe0e0c0, 0xc08080, 0x808000}};
        assertMask(new int[][] {{0, 1, 2}, {255, 15, 3}}, ImageCodec.decodeMask(TestImages.rgbPng(colours), "c.png"));
    }

    @Test
    void rgbMaskWithAnUnknownColourIsQuarantinedNamingColourAndPixel() {
        int[][] colours = {{0, 0, 0}, {0, 0, 0x010203}};
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decodeMask(TestImages.rgbPng(colours), "SegmentationClass/u.png"));
        assertTrue(e.reason().contains("(1,2,3)"), e.reason());
        assertTrue(e.reason().contains("(2,1)"), e.reason());
        assertTrue(e.reason().contains("SegmentationClass/u.png"), e.reason());
    }

    @Test
    void maskThatIsAJpegIsQuarantined() {
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decodeMask(TestImages.jpeg(8, 8), "m.png"));
        assertEquals("mask is not a PNG image: m.png", e.reason());
    }

    @Test
    void paletteMaskEncodingIsAnEightBitVocPalettePng() throws Exception {
        int[][] values = {{0, 1, 2, 15}, {255, 20, 3, 0}};
        byte[] labels = new byte[8];
        for (int i = 0; i < 8; i++) {
            labels[i] = (byte) values[i / 4][i % 4];
        }
        byte[] png = ImageCodec.encodePaletteMask(new LabelMask(4, 2, labels));
        assertEquals(8, png[24], "IHDR bit depth");
        assertEquals(3, png[25], "IHDR colour type (palette)");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        IndexColorModel cm = (IndexColorModel) back.getColorModel();
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(values[y][x], back.getRaster().getSample(x, y, 0));
            }
        }
        assertEquals(0x800000, cm.getRGB(1) & 0xffffff);
        assertEquals(0x008000, cm.getRGB(2) & 0xffffff);
        assertEquals(0xc08080, cm.getRGB(15) & 0xffffff);
        assertEquals(0xe0e0c0, cm.getRGB(255) & 0xffffff);
        assertMask(values, ImageCodec.decodeMask(png, "round-trip.png"));
        assertTrue(ImageCodec.storesLabelValues(png));
        assertTrue(ImageCodec.storesLabelValues(TestImages.greyPng(values)));
        assertFalse(ImageCodec.storesLabelValues(TestImages.rgbPng(new int[][] {{0}})));
    }

    @Test
    void vocPaletteKnownColoursAndInverse() {
        assertEquals(0x000000, VocPalette.rgb(0));
        assertEquals(0x800000, VocPalette.rgb(1));
        assertEquals(0x008000, VocPalette.rgb(2));
        assertEquals(0x808000, VocPalette.rgb(3));
        assertEquals(0x000080, VocPalette.rgb(4));
        assertEquals(0xc08080, VocPalette.rgb(15));
        assertEquals(0x80c000, VocPalette.rgb(19));
        assertEquals(0x004080, VocPalette.rgb(20));
        assertEquals(0xe0e0c0, VocPalette.rgb(255));
        Set<Integer> distinct = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            distinct.add(VocPalette.rgb(i));
            assertEquals(i, VocPalette.indexOf(VocPalette.rgb(i)));
        }
        assertEquals(256, distinct.size());
        assertEquals(-1, VocPalette.indexOf(0x010203));
        assertThrows(IllegalArgumentException.class, () -> VocPalette.rgb(256));
    }

    private static void assertMask(int[][] expected, LabelMask m) {
        assertEquals(expected[0].length, m.width());
        assertEquals(expected.length, m.height());
        for (int y = 0; y < expected.length; y++) {
            for (int x = 0; x < expected[0].length; x++) {
                assertEquals(expected[y][x], m.get(x, y), "pixel (" + x + "," + y + ")");
            }
        }
    }

    private static void assertRgb(int expected, RgbImage img, int x, int y) {
        assertEquals(expected, (img.r(x, y) << 16) | (img.g(x, y) << 8) | img.b(x, y), "pixel (" + x + "," + y + ")");
    }

    private static void assertNear(int expected, RgbImage img, int x, int y, int tol) {
        assertNear(expected, (img.r(x, y) << 16) | (img.g(x, y) << 8) | img.b(x, y), tol);
    }

    private static void assertNear(int expected, int actual, int tol) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = (expected >> shift) & 0xff;
            int a = (actual >> shift) & 0xff;
            assertTrue(Math.abs(e - a) <= tol, String.format("expected ~%06x, got %06x", expected, actual & 0xffffff));
        }
    }
}
