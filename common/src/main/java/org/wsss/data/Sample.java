package org.wsss.data;

import java.io.Serializable;
import java.util.List;

/**
 * One checked manifest row: the image (encoded bytes as read, never re-encoded for real datasets unless
 * ingest.max-long-side downscaled it), its size, image-level labels as sorted class indices 1..C, points, and the
 * ground truth mask as a palette PNG; boxes and scribbles where the dataset has them.
 *
 * @param imageFormat          "jpeg" or "png"
 * @param maskPng              palette/grey PNG with values 0..C and 255 = ignore, or null when there is no ground
 *                             truth
 * @param labelsAbsentFromMask labels named by the image's annotation (VOC XML) of which its mask has no pixel;
 *                             empty when the labels come from the mask or there is none. Ingest counts such images;
 *                             the manifest does not store it
 * @param boxes                object boxes (dataset.boxes or the VOC XML's), empty when there are none
 * @param scribblePng          scribbles as a palette PNG (class index on a scribble, 255 elsewhere), or null
 * @param instancePng          instance ground truth as a palette PNG (VOC SegmentationObject: instance numbers, 0
 *                             background, 255 ignore), or null
 */
public record Sample(String imageId, String split, int width, int height, int[] labels, List<Point> points,
                     String imageFormat, byte[] imageBytes, byte[] maskPng, String source,
                     int[] labelsAbsentFromMask, List<Box> boxes, byte[] scribblePng, byte[] instancePng)
        implements Serializable {

    /** Without instance masks. */
    public Sample(String imageId, String split, int width, int height, int[] labels, List<Point> points,
                  String imageFormat, byte[] imageBytes, byte[] maskPng, String source, int[] labelsAbsentFromMask,
                  List<Box> boxes, byte[] scribblePng) {
        this(imageId, split, width, height, labels, points, imageFormat, imageBytes, maskPng, source,
                labelsAbsentFromMask, boxes, scribblePng, null);
    }

    public Sample(String imageId, String split, int width, int height, int[] labels, List<Point> points,
                  String imageFormat, byte[] imageBytes, byte[] maskPng, String source, int[] labelsAbsentFromMask) {
        this(imageId, split, width, height, labels, points, imageFormat, imageBytes, maskPng, source,
                labelsAbsentFromMask, List.of(), null);
    }

    public Sample(String imageId, String split, int width, int height, int[] labels, List<Point> points,
                  String imageFormat, byte[] imageBytes, byte[] maskPng, String source) {
        this(imageId, split, width, height, labels, points, imageFormat, imageBytes, maskPng, source, new int[0]);
    }
}
