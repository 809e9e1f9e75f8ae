package org.wsss.nn;

import java.io.Serializable;
import java.util.SplittableRandom;

import org.wsss.data.RgbImage;

/**
 * Training-time augmentation for the classifier, after psa's: horizontal flip, random rescale of the long
 * side, colour jitter, then a random crop (or padding, with the ImageNet mean colour so it normalises to
 * zero) to a fixed square. The sequence of outputs is fully determined by the seed; one instance is not
 * for concurrent use (make one per task/partition, seeded e.g. from epoch and partition).
 */
public final class Augmenter {

    /**
     * @param cropSize side of the square output
     * @param minLongSide smallest long side after rescaling
     * @param maxLongSide largest long side after rescaling (inclusive)
     * @param flipProbability chance of a horizontal flip
     * @param brightness factor drawn from [1 - b, 1 + b]
     * @param contrast factor drawn from [1 - c, 1 + c], around the image's mean grey
     * @param saturation factor drawn from [1 - s, 1 + s], around each pixel's grey
     * @param minCropArea 0: rescale the long side, then crop (psa); in (0, 1]: a random resized crop instead
     *                    (Inception/torchvision: a window of [minCropArea, 1] of the image's area and aspect ratio
     *                    in [3/4, 4/3], resized to the square), which shows the net parts of objects and other
     *                    framings of real photos; the long-side range is then unused
     */
    public record Settings(int cropSize, int minLongSide, int maxLongSide, double flipProbability,
                           double brightness, double contrast, double saturation, double minCropArea)
            implements Serializable {
        public Settings(int cropSize, int minLongSide, int maxLongSide, double flipProbability,
                        double brightness, double contrast, double saturation) {
            this(cropSize, minLongSide, maxLongSide, flipProbability, brightness, contrast, saturation, 0);
        }

        public Settings {
            if (!(minCropArea >= 0 && minCropArea <= 1)) {
                throw new IllegalArgumentException("minCropArea must be in [0, 1], got " + minCropArea);
            }
            if (cropSize < 1) {
                throw new IllegalArgumentException("cropSize must be >= 1, got " + cropSize);
            }
            if (minLongSide < 1 || maxLongSide < minLongSide) {
                throw new IllegalArgumentException("long side range must satisfy 1 <= minLongSide <= maxLongSide, got ["
                        + minLongSide + ", " + maxLongSide + "]");
            }
            if (!(flipProbability >= 0 && flipProbability <= 1)) {
                throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
            }
            requireJitter("brightness", brightness);
            requireJitter("contrast", contrast);
            requireJitter("saturation", saturation);
        }

        /** Long side 0.9x to 1.5x of the crop (psa: 448-768 for a 448 crop), jitter 0.3 as in psa. */
        public static Settings defaults(int cropSize) {
            return new Settings(cropSize, (int) Math.round(cropSize * 0.9), (int) Math.round(cropSize * 1.5),
                    0.5, 0.3, 0.3, 0.3);
        }

        /** {@link #defaults} with a random resized crop of at least {@code minCropArea} of the image. */
        public Settings withResizedCrop(double minArea) {
            return new Settings(cropSize, minLongSide, maxLongSide, flipProbability, brightness, contrast,
                    saturation, minArea);
        }

        private static void requireJitter(String name, double v) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException(name + " jitter must be in [0, 1), got " + v);
            }
        }
    }

    /** 8-bit ImageNet mean colour: padding with it becomes zero after {@link ImageTensors#toInput}. */
    private static final int[] PAD = {124, 116, 104};

    private final Settings settings;
    private final SplittableRandom random;

    public Augmenter(Settings settings, long seed) {
        this.settings = settings;
        this.random = new SplittableRandom(seed);
    }

    public RgbImage apply(RgbImage img) {
        RgbImage out = random.nextDouble() < settings.flipProbability() ? ImageTensors.flipHorizontal(img) : img;
        if (settings.minCropArea() > 0) {
            return jitter(resizedCrop(out));
        }
        int longSide = settings.minLongSide() + random.nextInt(settings.maxLongSide() - settings.minLongSide() + 1);
        double scale = (double) longSide / Math.max(out.width(), out.height());
        out = ImageTensors.resize(out, Math.max(1, (int) Math.round(out.width() * scale)),
                Math.max(1, (int) Math.round(out.height() * scale)));
        out = jitter(out);
        return cropOrPad(out);
    }

    private RgbImage resizedCrop(RgbImage img) {
        int w = img.width();
        int h = img.height();
        double logLo = Math.log(3.0 / 4);
        double logHi = Math.log(4.0 / 3);
        for (int attempt = 0; attempt < 10; attempt++) {
            double area = w * h * (settings.minCropArea() + (1 - settings.minCropArea()) * random.nextDouble());
            double ratio = Math.exp(logLo + (logHi - logLo) * random.nextDouble());
            int cw = (int) Math.round(Math.sqrt(area * ratio));
            int ch = (int) Math.round(Math.sqrt(area / ratio));
            if (cw >= 1 && ch >= 1 && cw <= w && ch <= h) {
                return ImageTensors.resize(window(img, random.nextInt(w - cw + 1), random.nextInt(h - ch + 1), cw, ch),
                        settings.cropSize(), settings.cropSize());
            }
        }
        // no window fitted (a very elongated image): the centred square-ish whole
        int side = Math.min(w, h);
        return ImageTensors.resize(window(img, (w - side) / 2, (h - side) / 2, side, side),
                settings.cropSize(), settings.cropSize());
    }

    private static RgbImage window(RgbImage img, int x0, int y0, int cw, int ch) {
        byte[] out = new byte[cw * ch * 3];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(img.rgb(), ((y0 + y) * img.width() + x0) * 3, out, y * cw * 3, cw * 3);
        }
        return new RgbImage(cw, ch, out);
    }

    private RgbImage jitter(RgbImage img) {
        float b = factor(settings.brightness());
        float c = factor(settings.contrast());
        float s = factor(settings.saturation());
        byte[] src = img.rgb();
        int n = img.width() * img.height();
        double greySum = 0;
        for (int p = 0; p < n; p++) {
            greySum += grey(src, p * 3);
        }
        float meanGrey = (float) (greySum / n) * b;
        byte[] out = new byte[src.length];
        for (int p = 0; p < n; p++) {
            int i = p * 3;
            float r = (src[i] & 0xff) * b;
            float g = (src[i + 1] & 0xff) * b;
            float bl = (src[i + 2] & 0xff) * b;
            r = (r - meanGrey) * c + meanGrey;
            g = (g - meanGrey) * c + meanGrey;
            bl = (bl - meanGrey) * c + meanGrey;
            float pixelGrey = 0.299f * r + 0.587f * g + 0.114f * bl;
            out[i] = toByte((r - pixelGrey) * s + pixelGrey);
            out[i + 1] = toByte((g - pixelGrey) * s + pixelGrey);
            out[i + 2] = toByte((bl - pixelGrey) * s + pixelGrey);
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    private RgbImage cropOrPad(RgbImage img) {
        int size = settings.cropSize();
        // A dimension larger than the crop is cropped at a random offset, a smaller one placed at a random one.
        int offX = img.width() - size;
        int offY = img.height() - size;
        int dx = offX >= 0 ? random.nextInt(offX + 1) : -random.nextInt(-offX + 1);
        int dy = offY >= 0 ? random.nextInt(offY + 1) : -random.nextInt(-offY + 1);
        byte[] src = img.rgb();
        byte[] out = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            int sy = y + dy;
            for (int x = 0; x < size; x++) {
                int sx = x + dx;
                int o = (y * size + x) * 3;
                if (sy >= 0 && sy < img.height() && sx >= 0 && sx < img.width()) {
                    System.arraycopy(src, (sy * img.width() + sx) * 3, out, o, 3);
                } else {
                    out[o] = (byte) PAD[0];
                    out[o + 1] = (byte) PAD[1];
                    out[o + 2] = (byte) PAD[2];
                }
            }
        }
        return new RgbImage(size, size, out);
    }

    private float factor(double amount) {
        return (float) (1 - amount + 2 * amount * random.nextDouble());
    }

    private static float grey(byte[] rgb, int i) {
        return 0.299f * (rgb[i] & 0xff) + 0.587f * (rgb[i + 1] & 0xff) + 0.114f * (rgb[i + 2] & 0xff);
    }

    private static byte toByte(float v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
