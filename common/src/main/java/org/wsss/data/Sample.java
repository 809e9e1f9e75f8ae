package org.wsss.data;

import java.io.Serializable;
import java.util.List;

/**
 * One checked manifest row: the image (encoded bytes as read, never re-encoded for real datasets), its size,
 * image-level labels as sorted class indices 1..C, points, and the ground truth mask as a palette PNG.
 *
 * @param imageFormat "jpeg" or "png"
 * @param maskPng     palette/grey PNG with values 0..C and 255 = ignore, or null when there is no ground truth
 */
public record Sample(String imageId, String split, int width, int height, int[] labels, List<Point> points,
                     String imageFormat, byte[] imageBytes, byte[] maskPng, String source) implements Serializable {
}
