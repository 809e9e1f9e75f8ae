package org.wsss.synthetic;

import java.io.Serializable;
import java.util.List;
import org.wsss.data.Box;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;
import org.wsss.data.RgbImage;

/**
 * One generated image with its exact ground truth: mask values 0 background, 1..C classes, 255 a thin band
 * along every instance boundary; labels are the sorted distinct classes visible in the mask; one point per
 * visible instance, inside that instance's unignored region; one box per such instance (the bounds of its visible
 * pixels); scribbles along every instance's and the background's medial region (class on the scribble, 255
 * elsewhere).
 */
public record Scene(String imageId, String split, RgbImage image, LabelMask mask, int[] labels, List<Point> points,
                    List<Box> boxes, LabelMask scribble, LabelMask instances) implements Serializable {
}
