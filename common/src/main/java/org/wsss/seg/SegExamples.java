package org.wsss.seg;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.InputNorm;

import java.util.ArrayList;
import java.util.List;

/**
 * One training example of {@link SegNets} from an image and its cheap labels, at the square training input: the
 * image resized to {@code inputSize}, the class target (pseudo-label resized by nearest neighbour, points, or both
 * with points winning), optionally mirrored, brought to the score grid by {@link SegTargets}. All coordinates move
 * with the image, so an online extension computed at the input size lines up with the points.
 */
public final class SegExamples {

    private SegExamples() {
    }

    /**
     * @param pseudoLabel dense label map at image size, or null
     * @param points      annotated points at image size (may be empty)
     * @param extension   online extension at the input size (inputSize^2, 255 outside), or null
     * @param tripletPoints whether the embedding head gets the points (else its labels are all ignored)
     */
    public static MultiDataSet example(RgbImage image, LabelMask pseudoLabel, List<Point> points, byte[] extension,
                                       int inputSize, int stride, boolean flip, boolean tripletPoints) {
        return example(image, pseudoLabel, points, extension, inputSize, stride, flip, tripletPoints,
                new Rescale(1, 0, 0));
    }

    /**
     * Random rescaling as DeepLab trains (the net then sees objects at the sizes test-time scales show it): the
     * example at the input size is resized by {@code scale}, then a window of the input size is cut at the given
     * fractions of the free room (larger) or the example is padded with black and 255 labels (smaller).
     */
    public record Rescale(double scale, double offsetX, double offsetY) {
    }

    public static MultiDataSet example(RgbImage image, LabelMask pseudoLabel, List<Point> points, byte[] extension,
                                       int inputSize, int stride, boolean flip, boolean tripletPoints,
                                       Rescale rescale) {
        return example(image, pseudoLabel, points, extension, inputSize, stride, flip, tripletPoints, rescale,
                InputNorm.TORCHVISION);
    }

    /** {@link #example} with the image normalised as {@code norm}, the convention of the net's backbone. */
    public static MultiDataSet example(RgbImage image, LabelMask pseudoLabel, List<Point> points, byte[] extension,
                                       int inputSize, int stride, boolean flip, boolean tripletPoints,
                                       Rescale rescale, InputNorm norm) {
        RgbImage img = ImageTensors.resize(image, inputSize, inputSize);
        List<Point> pts = scalePoints(points, image.width(), image.height(), inputSize);
        byte[] target;
        if (pseudoLabel != null) {
            target = LabelMask.resizeNearest(pseudoLabel.labels(), pseudoLabel.height(), pseudoLabel.width(),
                    inputSize, inputSize);
            target = OnlineExtension.withPoints(target, inputSize, inputSize, pts);
        } else if (extension != null) {
            target = OnlineExtension.withPoints(extension, inputSize, inputSize, pts);
        } else {
            target = SegTargets.pointMap(pts, inputSize, inputSize);
        }
        if (rescale.scale() != 1) {
            int r = Math.max(stride, (int) Math.round(inputSize * rescale.scale()));
            int ox = (int) Math.floor(rescale.offsetX() * Math.max(0, r - inputSize));
            int oy = (int) Math.floor(rescale.offsetY() * Math.max(0, r - inputSize));
            img = window(ImageTensors.resize(img, r, r), ox, oy, inputSize, inputSize);
            target = windowLabels(LabelMask.resizeNearest(target, inputSize, inputSize, r, r), r, ox, oy, inputSize);
            List<Point> moved = new ArrayList<>();
            for (Point p : scalePoints(pts, inputSize, inputSize, r)) {
                int x = p.x() - ox;
                int y = p.y() - oy;
                if (x >= 0 && y >= 0 && x < inputSize && y < inputSize) {
                    moved.add(new Point(x, y, p.classIndex()));
                }
            }
            pts = moved;
        }
        if (flip) {
            img = ImageTensors.flipHorizontal(img);
            target = LabelMask.flipHorizontal(target, inputSize, inputSize);
            pts = flipPoints(pts, inputSize);
        }
        float[] classGrid = SegTargets.toGrid(target, inputSize, inputSize, stride);
        if (pseudoLabel != null || extension != null) {
            clicksWin(classGrid, pts, inputSize, stride);
        }
        float[] pointGrid = tripletPoints && !pts.isEmpty()
                ? SegTargets.pointsToGrid(pts, inputSize, inputSize, stride) : null;
        return SegTargets.batch(norm.toInput(img), stride, new float[][]{classGrid},
                new float[][]{pointGrid});
    }

    /**
     * Each clicked cell of the score grid takes its click's class. The grid label is a majority vote over the cell's
     * pixels, so a click on a ring's thin band, whose cell the extension (or a pseudo-label) fills mostly with
     * background, was outvoted and taught the band away; a click is ground truth, a vote over guesses is not.
     */
    static void clicksWin(float[] classGrid, List<Point> points, int inputSize, int stride) {
        int gw = SegNets.gridSize(inputSize, stride);
        for (Point p : points) {
            classGrid[(p.y() / stride) * gw + p.x() / stride] = p.classIndex();
        }
    }

    /**
     * PDML's online extension for one image from the net's probabilities at the input size (one forward pass): pixels
     * within the window around a point whose top class scores above the threshold and is in the image's label set.
     */
    public static byte[] extension(ComputationGraph net, RgbImage image, int[] imageLabels, List<Point> points,
                                   int inputSize, double threshold, int window) {
        return extension(net, image, imageLabels, points, inputSize, threshold, window, InputNorm.TORCHVISION);
    }

    /** {@link #extension} for a net trained on input normalised as {@code norm}. */
    public static byte[] extension(ComputationGraph net, RgbImage image, int[] imageLabels, List<Point> points,
                                   int inputSize, double threshold, int window, InputNorm norm) {
        RgbImage img = ImageTensors.resize(image, inputSize, inputSize);
        float[] probs = SegPredictor.predict(net, img, new double[]{1.0}, false, norm);
        return OnlineExtension.extend(probs, inputSize, inputSize, labelSet(imageLabels, points),
                scalePoints(points, image.width(), image.height(), inputSize), threshold, window);
    }

    /**
     * The classes an extended pixel may take: the image's tags and the classes of its clicks, as PDML's label set is
     * what the image's annotation names. Tags never name background, so background extends only where it was
     * clicked; leaving it out altogether made the extension grow foreground clicks alone and tilted the net towards
     * foreground (demo, gt-sample points: 0.733 single-scale val mIoU without background, 0.809 with it).
     */
    static int[] labelSet(int[] imageLabels, List<Point> points) {
        java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
        for (int c : imageLabels) {
            set.add(c);
        }
        for (Point p : points) {
            set.add(p.classIndex());
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Points of a w x h image at the centre of the corresponding pixel of a size x size resize. */
    public static List<Point> scalePoints(List<Point> points, int w, int h, int size) {
        List<Point> out = new ArrayList<>(points.size());
        for (Point p : points) {
            SegTargets.requireInside(p, w, h);
            int x = Math.min(size - 1, (int) ((p.x() + 0.5) * size / w));
            int y = Math.min(size - 1, (int) ((p.y() + 0.5) * size / h));
            out.add(new Point(x, y, p.classIndex()));
        }
        return out;
    }

    /** The width x height window at (ox, oy) of an image, black where the image does not reach. */
    static RgbImage window(RgbImage img, int ox, int oy, int width, int height) {
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height && y + oy < img.height(); y++) {
            int w = Math.min(width, img.width() - ox);
            if (w > 0) {
                System.arraycopy(img.rgb(), ((y + oy) * img.width() + ox) * 3, out, y * width * 3, w * 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    static byte[] windowLabels(byte[] labels, int side, int ox, int oy, int size) {
        byte[] out = new byte[size * size];
        java.util.Arrays.fill(out, (byte) SegTargets.IGNORE);
        for (int y = 0; y < size && y + oy < side; y++) {
            int w = Math.min(size, side - ox);
            if (w > 0) {
                System.arraycopy(labels, (y + oy) * side + ox, out, y * size, w);
            }
        }
        return out;
    }

    static List<Point> flipPoints(List<Point> points, int width) {
        List<Point> out = new ArrayList<>(points.size());
        for (Point p : points) {
            out.add(new Point(width - 1 - p.x(), p.y(), p.classIndex()));
        }
        return out;
    }

    /** Points flattened as (x, y, class) triples, as they travel in compact training records. */
    public static List<Point> unpackPoints(int[] triples) {
        List<Point> out = new ArrayList<>(triples.length / 3);
        for (int i = 0; i + 2 < triples.length; i += 3) {
            out.add(new Point(triples[i], triples[i + 1], triples[i + 2]));
        }
        return out;
    }
}
