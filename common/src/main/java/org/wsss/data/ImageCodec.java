package org.wsss.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.wsss.config.Params;

/**
 * JPEG and PNG decoding and encoding with javax.imageio, strict about damaged files: ImageIO decodes a cut
 * JPEG with only a warning (grey bottom rows), so a JPEG must end with its end-of-image marker and a PNG with
 * its IEND chunk.
 */
public final class ImageCodec {

    public static final String JPEG = "jpeg";
    public static final String PNG = "png";

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int PNG_COLOR_GREY = 0;
    private static final int PNG_COLOR_PALETTE = 3;

    private ImageCodec() {
    }

    /** Decodes a JPEG or PNG to RGB (grey, palette and alpha images converted; alpha dropped). */
    public static DecodedImage decode(byte[] bytes, String source) throws QuarantineException {
        return decode(bytes, source, Long.MAX_VALUE);
    }

    /**
     * {@link #decode}, refusing an image whose header declares more than {@code maxPixels} pixels before any pixel
     * is decoded (a few-MB PNG can declare a canvas of many GB). CMYK and YCCK JPEGs are converted by
     * {@link CmykJpeg}.
     */
    public static DecodedImage decode(byte[] bytes, String source, long maxPixels) throws QuarantineException {
        String format = detectFormat(bytes, source);
        RgbImage rgb = read(bytes, format, source, "image", maxPixels, reader -> {
            int transform = JPEG.equals(format) ? CmykJpeg.transformOf(bytes, source) : CmykJpeg.NOT_FOUR_COMPONENTS;
            return transform == CmykJpeg.NOT_FOUR_COMPONENTS ? toRgb(reader.read(0))
                    : CmykJpeg.toRgb(reader.readRaster(0, null), transform);
        });
        return new DecodedImage(format, rgb.width(), rgb.height(), rgb);
    }

    /** {@link #decode} for bytes that are known to be good (tests, generated data). */
    public static RgbImage decodeRgb(byte[] bytes) {
        try {
            return decode(bytes, "image bytes").image();
        } catch (QuarantineException e) {
            throw new IllegalArgumentException(e.reason(), e);
        }
    }

    public static byte[] encodePng(RgbImage image) {
        return write(toBufferedImage(image), PNG, null);
    }

    /** @param quality 0 (smallest) .. 1 (best) */
    public static byte[] encodeJpeg(RgbImage image, float quality) {
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality " + quality + " is outside 0..1");
        }
        return write(toBufferedImage(image), JPEG, quality);
    }

    /**
     * Reads a ground-truth PNG as class indices: a palette PNG gives the palette index of each pixel (VOC
     * SegmentationClass), a grey PNG its value, an RGB(A) PNG the VOC palette index of each colour.
     */
    public static LabelMask decodeMask(byte[] png, String source) throws QuarantineException {
        return decodeMask(png, source, Long.MAX_VALUE);
    }

    /** {@link #decodeMask}, refusing a mask whose header declares more than {@code maxPixels} pixels. */
    public static LabelMask decodeMask(byte[] png, String source, long maxPixels) throws QuarantineException {
        if (!PNG.equals(detectFormat(png, source))) {
            throw new QuarantineException("mask is not a PNG image: " + source);
        }
        BufferedImage img = read(png, PNG, source, "mask", maxPixels, reader -> reader.read(0));
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] labels = new byte[w * h];
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        if (cm instanceof IndexColorModel || cm.getNumColorComponents() == 1) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    if (row[x] > 255) {
                        throw new QuarantineException("mask value " + row[x] + " at pixel (" + x + "," + y + ") of "
                                + source + " does not fit in 8 bits");
                    }
                    labels[y * w + x] = (byte) row[x];
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int index = VocPalette.indexOf(row[x]);
                    if (index < 0) {
                        throw new QuarantineException("mask colour (" + ((row[x] >> 16) & 0xff) + ","
                                + ((row[x] >> 8) & 0xff) + "," + (row[x] & 0xff) + ") at pixel (" + x + "," + y
                                + ") of " + source + " is not a VOC palette colour");
                    }
                    labels[y * w + x] = (byte) index;
                }
            }
        }
        return new LabelMask(w, h, labels);
    }

    /** An 8-bit palette PNG with the VOC colour map, pixel value = label. */
    public static byte[] encodePaletteMask(LabelMask mask) {
        BufferedImage img = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_INDEXED,
                VocPalette.colorModel());
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(mask.labels(), 0, data, 0, data.length);
        return write(img, PNG, null);
    }

    /** An 8-bit greyscale PNG, pixel value = label (LID's ground truth and its submission files). */
    public static byte[] encodeGreyMask(LabelMask mask) {
        BufferedImage img = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(mask.labels(), 0, data, 0, data.length);
        return write(img, PNG, null);
    }

    /**
     * Whether a mask PNG already stores labels as plain pixel values (palette, or 8-bit grey), so its bytes can
     * be kept as they are; only meaningful for bytes that {@link #decodeMask} accepted.
     */
    static boolean storesLabelValues(byte[] png) {
        int bitDepth = png[24];
        int colorType = png[25];
        return colorType == PNG_COLOR_PALETTE || (colorType == PNG_COLOR_GREY && bitDepth == 8);
    }

    static String detectFormat(byte[] bytes, String source) throws QuarantineException {
        if (bytes.length == 0) {
            throw new QuarantineException("empty file: " + source);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return JPEG;
        }
        if (bytes.length >= PNG_MAGIC.length && startsWith(bytes, PNG_MAGIC)) {
            return PNG;
        }
        throw new QuarantineException("not a JPEG or PNG image: " + source);
    }

    /** What is done with a reader whose input is set and whose declared size was checked. */
    private interface Decoding<T> {
        T apply(ImageReader reader) throws IOException, QuarantineException;
    }

    private static <T> T read(byte[] bytes, String format, String source, String what, long maxPixels,
                              Decoding<T> decoding) throws QuarantineException {
        int end = endIgnoringZeroPadding(bytes);
        if (JPEG.equals(format) && !(end >= 2 && (bytes[end - 2] & 0xff) == 0xff && (bytes[end - 1] & 0xff) == 0xd9)) {
            throw new QuarantineException("truncated JPEG (no end-of-image marker): " + source);
        }
        if (PNG.equals(format)
                && !(end >= 8 && new String(bytes, end - 8, 4, StandardCharsets.US_ASCII).equals("IEND"))) {
            throw new QuarantineException("truncated PNG (no IEND chunk): " + source);
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            checkDeclaredSize(reader, format, source, what, maxPixels);
            T img = decoding.apply(reader);
            for (String warning : warnings) {
                if (isTruncationWarning(warning)) {
                    throw new QuarantineException("truncated " + format.toUpperCase(Locale.ROOT) + " (" + warning
                            + "): " + source);
                }
            }
            return img;
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            throw new QuarantineException("cannot decode " + format.toUpperCase(Locale.ROOT) + " " + source + ": "
                    + why, e);
        } finally {
            reader.dispose();
        }
    }

    /** Reads the size from the header (PNG IHDR, JPEG SOF) without decoding a pixel. */
    private static void checkDeclaredSize(ImageReader reader, String format, String source, String what,
                                          long maxPixels) throws IOException, QuarantineException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        long pixels = (long) w * h;
        if (pixels > maxPixels) {
            throw new QuarantineException(String.format(Locale.ROOT,
                    "%s %s declares %dx%d = %d pixels, more than %s = %d (not decoded): %s", what,
                    format.toUpperCase(Locale.ROOT), w, h, pixels, Params.Ingest.MAX_PIXELS.key(), maxPixels, source));
        }
    }

    // Other libjpeg warnings ("extraneous bytes before marker") are common in photos that decode fine.
    private static boolean isTruncationWarning(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("missing eoi") || w.contains("truncated");
    }

    private static int endIgnoringZeroPadding(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        ColorModel cm = img.getColorModel();
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && ((DataBufferByte) img.getRaster().getDataBuffer()).getData().length == rgb.length) {
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
        } else if (!(cm instanceof IndexColorModel) && cm.getNumColorComponents() == 1) {
            // getRGB would treat grey as linear light and brighten it; the stored value is what files mean.
            int bits = cm.getComponentSize(0);
            int max = (1 << bits) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRaster().getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) (bits == 8 ? row[x] : (row[x] * 255 + max / 2) / max);
                    int i = (y * w + x) * 3;
                    rgb[i] = v;
                    rgb[i + 1] = v;
                    rgb[i + 2] = v;
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int i = (y * w + x) * 3;
                    rgb[i] = (byte) (row[x] >> 16);
                    rgb[i + 1] = (byte) (row[x] >> 8);
                    rgb[i + 2] = (byte) row[x];
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return img;
    }

    private static byte[] write(BufferedImage img, String format, Float jpegQuality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (jpegQuality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + format + " in memory failed", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
