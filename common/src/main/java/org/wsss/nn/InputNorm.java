package org.wsss.nn;

import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.data.RgbImage;

/**
 * How 8-bit RGB pixels become network input: the convention the backbone's weights were trained with. A model
 * records its family ({@link ModelZip}) so that every stage that runs it feeds what it was trained on.
 */
public enum InputNorm {
    /** torchvision/timm: RGB, value / 255, then ImageNet mean / std per channel ({@link ImageTensors#MEAN}). */
    TORCHVISION(new int[] {0, 1, 2}, ImageTensors.MEAN, ImageTensors.STD, 255f),
    /**
     * Caffe/Keras ({@code preprocess_input} mode "caffe", DL4J's {@code VGG16ImagePreProcessor}), what the DL4J zoo's
     * Keras-converted ResNet-50 expects: channels in BGR order, 0..255 minus the BGR ImageNet mean, no scaling.
     */
    CAFFE(new int[] {2, 1, 0}, new float[] {103.939f, 116.779f, 123.68f}, new float[] {1f, 1f, 1f}, 1f);

    /** Input channel c takes RGB channel {@code source[c]}. */
    private final int[] source;
    private final float[] mean;
    private final float[] std;
    /** Pixel values are divided by this before the mean is taken off. */
    private final float range;

    InputNorm(int[] source, float[] mean, float[] std, float range) {
        this.source = source;
        this.mean = mean;
        this.std = std;
        this.range = range;
    }

    /** The name used in configuration and in model zips. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InputNorm parse(String name) {
        for (InputNorm n : values()) {
            if (n.configName().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("input normalisation must be one of torchvision, caffe; got \"" + name + "\"");
    }

    /** NCHW float tensor [1, 3, H, W]. */
    public INDArray toInput(RgbImage img) {
        return Nd4j.create(normalised(img), new long[] {1, 3, img.height(), img.width()}, 'c');
    }

    /** NCHW float tensor [N, 3, H, W] of images that all have the same size. */
    public INDArray toBatch(List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("cannot build a batch from no images");
        }
        int w = images.get(0).width();
        int h = images.get(0).height();
        int plane = 3 * w * h;
        float[] data = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("batch image " + i + " is " + img.width() + "x" + img.height()
                        + " but image 0 is " + w + "x" + h + "; resize or crop them to one size first");
            }
            System.arraycopy(normalised(img), 0, data, i * plane, plane);
        }
        return Nd4j.create(data, new long[] {images.size(), 3, h, w}, 'c');
    }

    private float[] normalised(RgbImage img) {
        int n = img.width() * img.height();
        byte[] rgb = img.rgb();
        float[] out = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (range * std[c]);
            float shift = mean[c] / std[c];
            int from = source[c];
            for (int p = 0; p < n; p++) {
                out[c * n + p] = (rgb[p * 3 + from] & 0xff) * scale - shift;
            }
        }
        return out;
    }
}
