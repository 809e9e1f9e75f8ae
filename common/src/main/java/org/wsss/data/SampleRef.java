package org.wsss.data;

import java.io.Serializable;
import java.util.List;

/**
 * What a dataset listing knows about one image before it is read: cheap to build on the driver for hundreds
 * of thousands of images; {@link DatasetReader#load} reads and checks it on an executor.
 *
 * @param imagePath      the encoded image (JPEG or PNG); null for synthetic scenes
 * @param maskPath       palette PNG ground truth, or null
 * @param annotationPath VOC XML with object names, or null
 * @param labelNames     image-level labels already known from the listing (LID lists), or null
 * @param points         point annotations, or null
 * @param syntheticIndex index of a generated scene, or -1
 * @param boxes          boxes from dataset.boxes, or null (then the VOC XML's, if any)
 * @param scribblePath   scribble PNG from dataset.scribbles (class index on the scribble, 255 elsewhere), or null
 * @param instancePath   VOC SegmentationObject PNG (instance numbers, 0 background, 255 ignore), or null
 */
public record SampleRef(String imageId, String split, String imagePath, String maskPath, String annotationPath,
                        List<String> labelNames, List<NamedPoint> points, int syntheticIndex, List<NamedBox> boxes,
                        String scribblePath, String instancePath) implements Serializable {

    public SampleRef(String imageId, String split, String imagePath, String maskPath, String annotationPath,
                     List<String> labelNames, List<NamedPoint> points, int syntheticIndex) {
        this(imageId, split, imagePath, maskPath, annotationPath, labelNames, points, syntheticIndex, null, null, null);
    }

    public SampleRef withPoints(List<NamedPoint> p) {
        return new SampleRef(imageId, split, imagePath, maskPath, annotationPath, labelNames, p, syntheticIndex, boxes,
                scribblePath, instancePath);
    }

    public SampleRef withBoxes(List<NamedBox> b) {
        return new SampleRef(imageId, split, imagePath, maskPath, annotationPath, labelNames, points, syntheticIndex, b,
                scribblePath, instancePath);
    }

    public SampleRef withScribble(String path) {
        return new SampleRef(imageId, split, imagePath, maskPath, annotationPath, labelNames, points, syntheticIndex,
                boxes, path, instancePath);
    }

    public SampleRef withInstances(String path) {
        return new SampleRef(imageId, split, imagePath, maskPath, annotationPath, labelNames, points, syntheticIndex,
                boxes, scribblePath, path);
    }
}
