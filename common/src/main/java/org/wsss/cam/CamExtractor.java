package org.wsss.cam;

import org.wsss.metrics.PhaseClock;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wsss.data.RgbImage;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.InputNorm;
import org.wsss.nn.OffHeap;

/**
 * Multi-scale, flip-augmented class activation maps from a {@link ClassifierNets} classifier, as psa's
 * {@code infer_cls.py} / irn's {@code make_cam.py}: at each scale CAM_c = ReLU(w_c . f(x, y)), flipped runs
 * are flipped back, every CAM is resized bilinearly to the scale-1 feature grid and summed, then each class
 * is divided by its own max.
 *
 * <p>Holds the network and calls it in inference mode; use one instance from one thread at a time (DL4J
 * graphs are not thread-safe). Nothing is rebuilt per call.
 */
public final class CamExtractor {
    private static final List<String> FEATURES_ONLY = List.of(ClassifierNets.FEATURES);
    private static final List<String> FEATURES_AND_SCORES = List.of(ClassifierNets.FEATURES, ClassifierNets.SCORES);

    private final ComputationGraph net;
    /** Transposed head weights, [C, F]: row c-1 is w_c. */
    private final INDArray classWeights;
    private final int numClasses;
    private final int stride;

    private final InputNorm norm;

    public CamExtractor(ComputationGraph net) {
        this(net, InputNorm.TORCHVISION);
    }

    /** @param norm the input normalisation the classifier was trained with ({@link org.wsss.nn.ModelZip#inputNorm}) */
    public CamExtractor(ComputationGraph net, InputNorm norm) {
        this.net = net;
        this.norm = norm;
        INDArray w = ClassifierNets.classifierWeights(net);
        this.classWeights = w.transpose().castTo(DataType.FLOAT).dup('c');
        this.numClasses = (int) w.size(1);
        this.stride = ClassifierNets.outputStride(net);
    }

    public int numClasses() {
        return numClasses;
    }

    public int stride() {
        return stride;
    }

    /**
     * @param image the image at its original size
     * @param classIndices labelled classes 1..C; empty: the classes whose scale-1 score exceeds
     *                     {@code predictThreshold} (possibly none, giving no maps)
     * @param scales image scales, e.g. 1.0, 0.5, 1.5, 2.0; each resized image is round(size * scale)
     * @param flip also run each scale mirrored
     */
    public CamResult compute(RgbImage image, int[] classIndices, double[] scales, boolean flip,
                             double predictThreshold) {
        return compute(image, classIndices, scales, flip, predictThreshold, null);
    }

    /** {@link #compute}, timing its resize, network and CAM phases on {@code clock} (null: untimed). */
    public CamResult compute(RgbImage image, int[] classIndices, double[] scales, boolean flip,
                             double predictThreshold, PhaseClock clock) {
        return compute(image, classIndices.length > 0 ? classIndices : null, predictThreshold, scales, flip, clock);
    }

    /**
     * The CAMs of exactly {@code classIndices}, never of predicted classes: none gives no maps (an image whose tags
     * are all left out of the classifier has nothing to map).
     */
    public CamResult computeFor(RgbImage image, int[] classIndices, double[] scales, boolean flip, PhaseClock clock) {
        return compute(image, classIndices, Double.NaN, scales, flip, clock);
    }

    /** @param classIndices the classes to map, or null for those whose scale-1 score exceeds predictThreshold */
    private CamResult compute(RgbImage image, int[] classIndices, double predictThreshold, double[] scales,
                              boolean flip, PhaseClock clock) {
        if (scales.length == 0) {
            throw new IllegalArgumentException("at least one scale is needed");
        }
        for (double scale : scales) {
            if (!(scale > 0) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("scales must be positive, got " + scale);
            }
        }
        // The mirrored image goes through in the same minibatch as the image itself: one call per scale.
        INDArray baseInput;
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "resize")) {
            baseInput = input(image, flip);
        }
        INDArray[] base;
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "network")) {
            base = net.output(FEATURES_AND_SCORES, false, new INDArray[] {baseInput}, null);
        }
        OffHeap.close(baseInput);
        INDArray baseFeatures = base[0];
        float[] scores = base[1].getRow(0).castTo(DataType.FLOAT).toFloatVector();
        int gridH = (int) baseFeatures.size(2);
        int gridW = (int) baseFeatures.size(3);
        int[] classes = classIndices != null ? checkedClasses(classIndices) : predicted(scores, predictThreshold);
        int k = classes.length;
        float[] sum = new float[k * gridH * gridW];
        if (k == 0) {
            OffHeap.close(base);
            return new CamResult(classes, gridH, gridW, stride, sum, scores);
        }
        INDArray weights = classWeights.getRows(Arrays.stream(classes).map(c -> c - 1).toArray());
        for (double scale : scales) {
            INDArray features = baseFeatures;
            if (scale != 1.0) {
                INDArray scaledInput;
                try (PhaseClock.Lap lap = PhaseClock.start(clock, "resize")) {
                    RgbImage scaled = ImageTensors.resize(image, Math.max(1, (int) Math.round(image.width() * scale)),
                            Math.max(1, (int) Math.round(image.height() * scale)));
                    scaledInput = input(scaled, flip);
                }
                try (PhaseClock.Lap lap = PhaseClock.start(clock, "network")) {
                    features = net.output(FEATURES_ONLY, false, new INDArray[] {scaledInput}, null)[0];
                }
                OffHeap.close(scaledInput);
            }
            try (PhaseClock.Lap lap = PhaseClock.start(clock, "cam maps")) {
                accumulate(sum, cams(weights, features, 0), features, k, gridH, gridW, false);
                if (flip) {
                    accumulate(sum, cams(weights, features, 1), features, k, gridH, gridW, true);
                }
            }
            if (features != baseFeatures) {
                OffHeap.close(features);
            }
        }
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "cam maps")) {
            normalisePerClass(sum, k, gridH * gridW);
        }
        OffHeap.close(base);
        OffHeap.closeCopy(weights, classWeights);
        return new CamResult(classes, gridH, gridW, stride, sum, scores);
    }

    /** [1, 3, H, W], or [2, 3, H, W] with the mirrored image second. */
    private INDArray input(RgbImage img, boolean withMirror) {
        return withMirror ? norm.toBatch(List.of(img, ImageTensors.flipHorizontal(img))) : norm.toInput(img);
    }

    /** ReLU(W_sel . f) of minibatch entry n, as [K, h*w]. */
    private static float[] cams(INDArray weights, INDArray features, int n) {
        long f = features.size(1);
        INDArray flat = features.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .reshape(new long[] {f, features.size(2) * features.size(3)}).castTo(DataType.FLOAT);
        INDArray product = weights.mmul(flat);
        float[] cam = product.ravel().toFloatVector();
        OffHeap.close(product);
        OffHeap.closeCopy(flat, features);
        for (int i = 0; i < cam.length; i++) {
            cam[i] = Math.max(cam[i], 0f);
        }
        return cam;
    }

    private static void accumulate(float[] sum, float[] cam, INDArray features, int k, int gridH, int gridW,
                                   boolean mirrored) {
        int h = (int) features.size(2);
        int w = (int) features.size(3);
        float[] c = mirrored ? ImageTensors.flipMapsHorizontal(cam, k, h, w) : cam;
        float[] onGrid = h == gridH && w == gridW ? c : ImageTensors.resizeMaps(c, k, h, w, gridH, gridW);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += onGrid[i];
        }
    }

    private static void normalisePerClass(float[] maps, int k, int cells) {
        for (int m = 0; m < k; m++) {
            float max = 0f;
            for (int i = m * cells; i < (m + 1) * cells; i++) {
                max = Math.max(max, maps[i]);
            }
            if (max > 0f) {
                for (int i = m * cells; i < (m + 1) * cells; i++) {
                    maps[i] /= max;
                }
            }
        }
    }

    private int[] checkedClasses(int[] classIndices) {
        int[] distinct = Arrays.stream(classIndices).distinct().toArray();
        for (int c : distinct) {
            if (c < 1 || c > numClasses) {
                throw new IllegalArgumentException("class index " + c + " is outside 1.." + numClasses);
            }
        }
        return distinct;
    }

    private static int[] predicted(float[] scores, double threshold) {
        return java.util.stream.IntStream.range(0, scores.length).filter(i -> scores[i] > threshold)
                .map(i -> i + 1).toArray();
    }
}
