package org.wsss.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Dense training labels from boxes (train.supervision = boxes), the filled-box labels box-supervised
 * segmentation starts from: a pixel inside a box takes its class, where boxes overlap the smallest box wins (it is
 * most likely the one in front), and a pixel outside every box is background. Boxes are clipped to the image.
 */
public final class BoxLabels {

    private BoxLabels() {
    }

    public static LabelMask filled(int width, int height, List<Box> boxes) {
        byte[] labels = new byte[width * height];
        List<Box> largestFirst = new ArrayList<>(boxes);
        largestFirst.sort(Comparator.comparingInt(Box::area).reversed());
        for (Box b : largestFirst) {
            for (int y = b.y0(); y < Math.min(b.y1(), height); y++) {
                for (int x = b.x0(); x < Math.min(b.x1(), width); x++) {
                    labels[y * width + x] = (byte) b.classIndex();
                }
            }
        }
        return new LabelMask(width, height, labels);
    }
}
