package org.wsss.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * PASCAL VOC 2012 layout under {@code root}: split lists {@code ImageSets/Segmentation/<split>.txt}, images
 * {@code JPEGImages/<id>.jpg}, optional ground truth {@code SegmentationClass/<id>.png} and optional
 * {@code Annotations/<id>.xml}. Image-level labels are the XML object names, or, for datasets without XML, the
 * classes present in the mask.
 */
public final class VocReader extends FileDatasetReader {

    static final String SPLIT_DIR = "ImageSets/Segmentation";
    static final String IMAGE_DIR = "JPEGImages";
    static final String MASK_DIR = "SegmentationClass";
    static final String OBJECT_DIR = "SegmentationObject";
    static final String XML_DIR = "Annotations";

    private final String root;

    public VocReader(String root, ClassList classes) {
        this(root, classes, ImageLimits.NONE);
    }

    public VocReader(String root, ClassList classes, ImageLimits limits) {
        super(classes, limits);
        this.root = root;
    }

    @Override
    DatasetListing scan(DatasetFs fs, List<String> splits, boolean withFiles) throws IOException {
        FolderIndex index = new FolderIndex(fs);
        List<SampleRef> refs = new ArrayList<>();
        List<String> read = new ArrayList<>();
        List<String[]> rejected = new ArrayList<>();
        for (String split : splits) {
            String listPath = DatasetFs.join(root, SPLIT_DIR, split + ".txt");
            if (index.find(listPath) == null) {
                throw new IllegalArgumentException("VOC split list " + listPath + " does not exist (dataset.root = "
                        + root + ", split '" + split + "')");
            }
            read.add(listPath);
            for (String id : ids(fs, listPath)) {
                String problem = ImageIds.problem(id);
                if (problem != null) {
                    rejected.add(new String[]{id, listPath, problem});
                    continue;
                }
                String image = DatasetFs.join(root, IMAGE_DIR, id + ".jpg");
                String mask = DatasetFs.join(root, MASK_DIR, id + ".png");
                String xml = DatasetFs.join(root, XML_DIR, id + ".xml");
                boolean hasMask = index.find(mask) != null;
                boolean hasXml = index.find(xml) != null;
                String objects = DatasetFs.join(root, OBJECT_DIR, id + ".png");
                SampleRef ref = new SampleRef(id, split, image, hasMask ? mask : null, hasXml ? xml : null, null, null,
                        -1);
                refs.add(index.find(objects) != null ? ref.withInstances(objects) : ref);
                read.add(image);
                read.add(mask);
                read.add(xml);
                read.add(objects);
            }
        }
        return new DatasetListing(refs, withFiles ? index.entries(read) : List.of(), rejected);
    }

    /** First word of each non-blank line; a repeated id is kept for ingest to report (UniqueIds). */
    private static List<String> ids(DatasetFs fs, String listPath) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : FolderIndex.lines(fs, listPath)) {
            String t = line.strip();
            if (!t.isEmpty()) {
                ids.add(t.split("\\s+")[0]);
            }
        }
        return ids;
    }
}
