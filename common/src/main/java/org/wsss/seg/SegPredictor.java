package org.wsss.seg;

import org.wsss.metrics.PhaseClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.OffHeap;
import org.wsss.nn.InputNorm;
import org.wsss.segsort.EmbeddingClassifier;

/**
 * Test-time augmentation for {@link SegNets}: for each scale the image is resized (bilinear), run with and, if
 * asked, without a horizontal flip (both in one minibatch), the flipped scores are mirrored back, every score map
 * is resized bilinearly to the image and turned into probabilities by a softmax per pixel, and all are averaged.
 * Each view is padded with black below and right to the net's {@link SegNets#inputMultiple} (training pads
 * rescaled crops with black too) and its scores cropped back to the view.
 * NoPeopleAllowed uses scales 0.5, 1, 2 with flip.
 */
public final class SegPredictor {

    public static final double[] DEFAULT_SCALES = {0.5, 1.0, 2.0};

    private SegPredictor() {
    }

    /** Class probabilities (K, H, W) row-major for an H x W image, K = C + 1. */
    public static float[] predict(ComputationGraph net, RgbImage image, double[] scales, boolean flip) {
        return predict(net, image, scales, flip, InputNorm.TORCHVISION);
    }

    /** {@link #predict} for a net trained on input normalised as {@code norm}. */
    public static float[] predict(ComputationGraph net, RgbImage image, double[] scales, boolean flip,
                                  InputNorm norm) {
        return predict(net, image, scales, flip, norm, null);
    }

    /** {@link #predict}, timing its resize, network and upsample phases on {@code clock} (null: untimed). */
    public static float[] predict(ComputationGraph net, RgbImage image, double[] scales, boolean flip,
                                  InputNorm norm, PhaseClock clock) {
        return predict(net, image, scales, flip, norm, clock, null);
    }

    /**
     * {@link #predict}, the class scores taken from {@code head} applied to the net's embedding output instead of
     * from the net's own class scores when {@code head} is given (predict.method = softmax-on-embedding).
     */
    public static float[] predict(ComputationGraph net, RgbImage image, double[] scales, boolean flip,
                                  InputNorm norm, PhaseClock clock, EmbeddingClassifier head) {
        if (scales.length == 0) {
            throw new IllegalArgumentException("test-time augmentation needs at least one scale");
        }
        int k = head == null ? SegNets.numScoredClasses(net) : head.classes();
        int stride = SegNets.outputStride(net);
        int multiple = SegNets.inputMultiple(net);
        int w = image.width();
        int h = image.height();
        float[] sum = new float[k * h * w];
        int runs = 0;
        for (double scale : scales) {
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("scales must be positive and finite, got " + Arrays.toString(scales));
            }
            RgbImage scaled;
            List<RgbImage> padded;
            INDArray batch;
            try (PhaseClock.Lap lap = PhaseClock.start(clock, "resize")) {
                scaled = ImageTensors.resize(image, Math.max(1, (int) Math.round(w * scale)),
                        Math.max(1, (int) Math.round(h * scale)));
                // flipped before padding, so both views keep the image at the top left and crop alike
                List<RgbImage> views = flip ? List.of(scaled, ImageTensors.flipHorizontal(scaled)) : List.of(scaled);
                padded = new ArrayList<>(views.size());
                for (RgbImage v : views) {
                    padded.add(padBottomRight(v, multiple));
                }
                batch = norm.toBatch(padded);
            }
            int gh = SegNets.gridSize(scaled.height(), stride);
            int gw = SegNets.gridSize(scaled.width(), stride);
            int ph = SegNets.gridSize(padded.get(0).height(), stride);
            int pw = SegNets.gridSize(padded.get(0).width(), stride);
            float[][] scores;
            try (PhaseClock.Lap lap = PhaseClock.start(clock, "network")) {
                scores = head == null ? scoreMaps(net, batch, k, ph, pw) : embeddingScoreMaps(net, batch, head, ph, pw);
            }
            OffHeap.close(batch);
            try (PhaseClock.Lap lap = PhaseClock.start(clock, "upsample")) {
                for (int v = 0; v < scores.length; v++) {
                    float[] grid = cropMaps(scores[v], k, ph, pw, gh, gw);
                    grid = v == 1 ? ImageTensors.flipMapsHorizontal(grid, k, gh, gw) : grid;
                    float[] probs = softmax(ImageTensors.resizeMaps(grid, k, gh, gw, h, w), k);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += probs[i];
                    }
                    runs++;
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= runs;
        }
        return sum;
    }

    /**
     * The net's embedding output for the whole image at its own size (D, H, W) row-major: one forward pass of the
     * image padded to the net's input multiple, the embedding grid cropped to the image's cells and resized
     * bilinearly to the image (SegSort sorts and retrieves pixels at the image's resolution).
     */
    public static float[] embeddings(ComputationGraph net, RgbImage image, InputNorm norm) {
        int depth = SegNets.embeddingDim(net);
        int stride = SegNets.outputStride(net);
        RgbImage padded = padBottomRight(image, SegNets.inputMultiple(net));
        INDArray batch = norm.toBatch(List.of(padded));
        INDArray typed = batch.castTo(net.getConfiguration().getDataType());
        INDArray flat = net.output(false, typed)[1];
        OffHeap.closeCopy(typed, batch);
        OffHeap.close(batch);
        int ph = SegNets.gridSize(padded.height(), stride);
        int pw = SegNets.gridSize(padded.width(), stride);
        if (flat.length() != (long) depth * ph * pw) {
            throw new IllegalStateException("network embeddings " + Arrays.toString(flat.shape()) + " do not hold "
                    + depth + "x" + ph + "x" + pw + "; is its output stride " + stride + "?");
        }
        float[] grid = flat.toFloatVector();
        OffHeap.close(flat);
        int gh = SegNets.gridSize(image.height(), stride);
        int gw = SegNets.gridSize(image.width(), stride);
        return ImageTensors.resizeMaps(cropMaps(grid, depth, ph, pw, gh, gw), depth, gh, gw, image.height(),
                image.width());
    }

    /** The image with black rows and columns added below and right up to multiples of {@code multiple}. */
    static RgbImage padBottomRight(RgbImage img, int multiple) {
        int w = (img.width() + multiple - 1) / multiple * multiple;
        int h = (img.height() + multiple - 1) / multiple * multiple;
        return w == img.width() && h == img.height() ? img : SegExamples.window(img, 0, 0, w, h);
    }

    /** The top-left (k, gh, gw) of maps (k, ph, pw). */
    static float[] cropMaps(float[] maps, int k, int ph, int pw, int gh, int gw) {
        if (gh == ph && gw == pw) {
            return maps;
        }
        float[] out = new float[k * gh * gw];
        for (int c = 0; c < k; c++) {
            for (int y = 0; y < gh; y++) {
                System.arraycopy(maps, (c * ph + y) * pw, out, (c * gh + y) * gw, gw);
            }
        }
        return out;
    }

    /** Class scores (K, gh, gw) of each image of the minibatch. */
    static float[][] scoreMaps(ComputationGraph net, INDArray input, int k, int gh, int gw) {
        return outputRows(net, input, 0, (long) k * gh * gw, "network scores", k + "x" + gh + "x" + gw);
    }

    /** Class scores (K, gh, gw) of each image of the minibatch from {@code head} on the net's embeddings. */
    static float[][] embeddingScoreMaps(ComputationGraph net, INDArray input, EmbeddingClassifier head, int gh,
                                        int gw) {
        int depth = SegNets.embeddingDim(net);
        if (depth != head.depth()) {
            throw new IllegalStateException("the net's embeddings have " + depth + " dimensions, the embedding "
                    + "classifier " + head.depth());
        }
        float[][] maps = outputRows(net, input, 1, (long) depth * gh * gw, "network embeddings",
                depth + "x" + gh + "x" + gw);
        for (int i = 0; i < maps.length; i++) {
            maps[i] = head.scores(maps[i], gh * gw);
        }
        return maps;
    }

    /** Output {@code output} of the net on the minibatch, one row of {@code perRow} values per image. */
    private static float[][] outputRows(ComputationGraph net, INDArray input, int output, long perRow, String what,
                                        String shape) {
        INDArray typed = input.castTo(net.getConfiguration().getDataType());
        INDArray flat = net.output(false, typed)[output];
        OffHeap.closeCopy(typed, input);
        int n = (int) input.size(0);
        if (flat.length() != n * perRow) {
            throw new IllegalStateException(what + " " + Arrays.toString(flat.shape()) + " do not hold " + n
                    + " maps of " + shape + "; is its output stride " + SegNets.outputStride(net) + "?");
        }
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            INDArray row = flat.getRow(i).dup();
            rows[i] = row.toFloatVector();
            row.close();
        }
        OffHeap.close(flat);
        return rows;
    }

    /** Softmax over the K planes at every pixel of maps (K, h, w). */
    static float[] softmax(float[] maps, int k) {
        int cells = maps.length / k;
        float[] out = new float[maps.length];
        for (int i = 0; i < cells; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, maps[c * cells + i]);
            }
            double total = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(maps[c * cells + i] - max);
                out[c * cells + i] = (float) e;
                total += e;
            }
            for (int c = 0; c < k; c++) {
                out[c * cells + i] /= (float) total;
            }
        }
        return out;
    }

    /** Most probable class per pixel of probabilities (K, height, width); ties go to the lower class. */
    public static byte[] argmax(float[] probs, int k, int height, int width) {
        int cells = height * width;
        if (k < 1 || k > 255 || probs.length != k * cells) {
            throw new IllegalArgumentException("probs has " + probs.length + " values for " + k + "x" + height + "x"
                    + width + " (1..255 classes)");
        }
        byte[] out = new byte[cells];
        for (int i = 0; i < cells; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probs[c * cells + i] > probs[best * cells + i]) {
                    best = c;
                }
            }
            out[i] = (byte) best;
        }
        return out;
    }
}
