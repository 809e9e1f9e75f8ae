package org.wsss.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads and checks one real-dataset image with its annotations (the executor side of {@link VocReader} and
 * {@link LidReader}). Anything wrong with this one image is a {@link QuarantineException}; an I/O failure other
 * than a missing file is thrown unchecked so that the engine retries the task instead of dropping the image.
 */
final class FileSampleLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileSampleLoader.class);

    private FileSampleLoader() {
    }

    static Sample load(SampleRef ref, DatasetFs fs, ClassList classes, ImageLimits limits)
            throws QuarantineException {
        byte[] imageBytes = read(fs, ref.imagePath(), "listed image is missing: ");
        DecodedImage image = ImageCodec.decode(imageBytes, ref.imagePath(), limits.maxPixels());

        LabelPng maskFile = ref.maskPath() == null ? null
                : labelPng(fs, ref.maskPath(), "mask", image, classes, limits);
        LabelMask mask = maskFile == null ? null : maskFile.mask();
        byte[] maskPng = maskFile == null ? null : maskFile.png();
        LabelPng scribbleFile = ref.scribblePath() == null ? null
                : labelPng(fs, ref.scribblePath(), "scribble", image, classes, limits);
        LabelMask scribble = scribbleFile == null ? null : scribbleFile.mask();
        byte[] scribblePng = scribbleFile == null ? null : scribbleFile.png();
        LabelPng instanceFile = ref.instancePath() == null ? null
                : labelPng(fs, ref.instancePath(), "instance mask", image, null, limits);

        SortedSet<Integer> labels;
        int[] absentFromMask = new int[0];
        List<NamedBox> namedBoxes = ref.boxes();
        if (ref.annotationPath() != null) {
            org.w3c.dom.Document xml = VocXml.parse(read(fs, ref.annotationPath(), "annotation is missing: "),
                    ref.annotationPath());
            labels = resolve(VocXml.objectNames(xml, ref.annotationPath()), classes, "in " + ref.annotationPath());
            if (namedBoxes == null) {
                namedBoxes = xmlBoxes(xml, ref.annotationPath());
            }
            if (mask != null) {
                SortedSet<Integer> absent = new TreeSet<>(labels);
                absent.removeAll(labelsOf(mask));
                absentFromMask = absent.stream().mapToInt(Integer::intValue).toArray();
            }
        } else if (ref.labelNames() != null) {
            labels = resolve(ref.labelNames(), classes, "of image " + ref.imageId() + " in the image lists");
        } else if (mask != null) {
            labels = labelsOf(mask);
        } else {
            labels = new TreeSet<>();
        }

        List<Point> points = resolvePoints(ref, image, classes);
        List<Box> boxes;
        try {
            boxes = resolveBoxes(ref, namedBoxes, image, classes);
        } catch (QuarantineException e) {
            if (ref.boxes() != null) {
                throw e; // dataset.boxes was given for this image: its boxes are wrong, as its points would be
            }
            // the XML's boxes are extra: the image keeps its tags, it only has no boxes to train on
            LOG.warn("{}: the image keeps no boxes: {}", ref.imageId(), e.reason());
            boxes = List.of();
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        if (limits.downscales(image.width(), image.height())) {
            return downscaled(ref, image, mask, labelArray, points, limits.maxLongSide(), absentFromMask, boxes,
                    scribble, instanceFile == null ? null : instanceFile.mask());
        }
        return new Sample(ref.imageId(), ref.split(), image.width(), image.height(), labelArray, points,
                image.format(), imageBytes, maskPng, ref.imagePath(), absentFromMask, boxes, scribblePng,
                instanceFile == null ? null : instanceFile.png());
    }

    /** The XML's boxes; a malformed one leaves the image without boxes (logged), its tags are still good. */
    private static List<NamedBox> xmlBoxes(org.w3c.dom.Document xml, String path) {
        try {
            return VocXml.boxes(xml, path);
        } catch (QuarantineException e) {
            LOG.warn("no boxes from {}: {}", path, e.reason());
            return List.of();
        }
    }

    /** Boxes with their classes resolved; a box of an unknown class or reaching outside the image quarantines it. */
    private static List<Box> resolveBoxes(SampleRef ref, List<NamedBox> named, DecodedImage image, ClassList classes)
            throws QuarantineException {
        List<Box> out = new ArrayList<>();
        if (named == null) {
            return out;
        }
        String where = ref.boxes() != null ? "dataset.boxes" : ref.annotationPath();
        for (NamedBox b : named) {
            String box = "box (" + b.x0() + "," + b.y0() + ")-(" + b.x1() + "," + b.y1() + ") of image "
                    + ref.imageId() + " in " + where;
            int k = classes.indexOf(b.className());
            if (k < 1) {
                throw new QuarantineException(box + " has class '" + b.className() + "', which is not in "
                        + "dataset.classes");
            }
            if (b.x0() < 0 || b.y0() < 0 || b.x1() <= b.x0() || b.y1() <= b.y0() || b.x1() > image.width()
                    || b.y1() > image.height()) {
                throw new QuarantineException(box + " is empty or reaches outside the " + image.width() + "x"
                        + image.height() + " image " + ref.imagePath());
            }
            out.add(new Box(b.x0(), b.y0(), b.x1(), b.y1(), k));
        }
        return out;
    }

    /**
     * The image, mask and points at the long side {@code maxLongSide}; labels stay those of the full-size
     * annotation (a small object may vanish from the smaller mask, it is still in the image).
     */
    private static Sample downscaled(SampleRef ref, DecodedImage image, LabelMask mask, int[] labels,
                                     List<Point> points, int maxLongSide, int[] absentFromMask, List<Box> boxes,
                                     LabelMask scribble, LabelMask instances) {
        int[] size = IngestDownscale.targetSize(image.width(), image.height(), maxLongSide);
        RgbImage small = IngestDownscale.areaAverage(image.image(), size[0], size[1]);
        byte[] bytes = ImageCodec.JPEG.equals(image.format())
                ? ImageCodec.encodeJpeg(small, IngestDownscale.JPEG_QUALITY) : ImageCodec.encodePng(small);
        byte[] maskPng = mask == null ? null
                : ImageCodec.encodePaletteMask(IngestDownscale.mask(mask, size[0], size[1]));
        return new Sample(ref.imageId(), ref.split(), size[0], size[1], labels,
                IngestDownscale.points(points, image.width(), image.height(), size[0], size[1]), image.format(),
                bytes, maskPng, ref.imagePath(), absentFromMask,
                IngestDownscale.boxes(boxes, image.width(), image.height(), size[0], size[1]),
                scribble == null ? null : ImageCodec.encodePaletteMask(IngestDownscale.mask(scribble, size[0], size[1])),
                instances == null ? null
                        : ImageCodec.encodePaletteMask(IngestDownscale.mask(instances, size[0], size[1])));
    }

    /** A label PNG of the image (mask or scribble): its labels, and the bytes to store (re-encoded if needed). */
    private record LabelPng(LabelMask mask, byte[] png) {
    }

    /**
     * The label PNG at {@code path}, checked: its size is the image's and its values are classes or 255 (any value
     * when {@code classes} is null: instance numbers); stored as read when it holds the label values, else as a
     * palette PNG.
     */
    private static LabelPng labelPng(DatasetFs fs, String path, String what, DecodedImage image, ClassList classes,
                                     ImageLimits limits) throws QuarantineException {
        byte[] bytes = read(fs, path, what + " is missing: ");
        LabelMask m = ImageCodec.decodeMask(bytes, path, limits.maxPixels());
        if (m.width() != image.width() || m.height() != image.height()) {
            throw new QuarantineException(what + " " + m.width() + "x" + m.height() + " vs image " + image.width()
                    + "x" + image.height() + ": " + path);
        }
        if (classes != null) {
            checkMaskValues(m, classes, path);
        }
        return new LabelPng(m, ImageCodec.storesLabelValues(bytes) ? bytes : ImageCodec.encodePaletteMask(m));
    }

    private static byte[] read(DatasetFs fs, String path, String missingReason) throws QuarantineException {
        try {
            return fs.readAll(path);
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new QuarantineException(missingReason + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + " failed", e);
        }
    }

    private static void checkMaskValues(LabelMask mask, ClassList classes, String path) throws QuarantineException {
        byte[] labels = mask.labels();
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i] & 0xff;
            if (v > classes.size() && v != LabelMask.IGNORE) {
                throw new QuarantineException("mask value " + v + " at pixel (" + (i % mask.width()) + ","
                        + (i / mask.width()) + ") of " + path + " is neither a class of dataset.classes (1.."
                        + classes.size() + ") nor 255 (ignore)");
            }
        }
    }

    private static SortedSet<Integer> labelsOf(LabelMask mask) {
        boolean[] seen = new boolean[256];
        for (byte b : mask.labels()) {
            seen[b & 0xff] = true;
        }
        SortedSet<Integer> out = new TreeSet<>();
        for (int v = 1; v < LabelMask.IGNORE; v++) {
            if (seen[v]) {
                out.add(v);
            }
        }
        return out;
    }

    private static SortedSet<Integer> resolve(List<String> names, ClassList classes, String where)
            throws QuarantineException {
        SortedSet<Integer> out = new TreeSet<>();
        for (String n : names) {
            int k = classes.indexOf(n);
            if (k < 0) {
                throw new QuarantineException("label '" + n + "' " + where + " is not in dataset.classes");
            }
            out.add(k);
        }
        return out;
    }

    private static List<Point> resolvePoints(SampleRef ref, DecodedImage image, ClassList classes)
            throws QuarantineException {
        List<Point> out = new ArrayList<>();
        if (ref.points() == null) {
            return out;
        }
        for (NamedPoint p : ref.points()) {
            // A click on background is a label too (point supervision needs background examples), index 0.
            int k = ClassList.BACKGROUND.equals(p.className()) ? 0 : classes.indexOf(p.className());
            if (k < 0) {
                throw new QuarantineException("point (" + p.x() + "," + p.y() + ") of image " + ref.imageId()
                        + " in dataset.points has class '" + p.className() + "', which is neither 'background' nor in "
                        + "dataset.classes");
            }
            if (p.x() < 0 || p.y() < 0 || p.x() >= image.width() || p.y() >= image.height()) {
                throw new QuarantineException("point (" + p.x() + "," + p.y() + ") of image " + ref.imageId()
                        + " in dataset.points is outside the " + image.width() + "x" + image.height() + " image "
                        + ref.imagePath());
            }
            out.add(new Point(p.x(), p.y(), k));
        }
        return out;
    }
}
