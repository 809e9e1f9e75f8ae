package org.wsss.data;

import java.io.IOException;
import java.util.List;

/**
 * A dataset of image (and mask, annotation) files: one driver-side scan of the lists and folders yields both
 * the sample references and the files that fingerprint them; executors load samples with the shared checks
 * of {@link FileSampleLoader}.
 */
abstract class FileDatasetReader implements DatasetReader {

    protected final ClassList classes;
    private final ImageLimits limits;

    FileDatasetReader(ClassList classes, ImageLimits limits) {
        this.classes = classes;
        this.limits = limits;
    }

    /** Lists the given splits; with {@code withFiles} also collects the listing entries of every file read. */
    abstract DatasetListing scan(DatasetFs fs, List<String> splits, boolean withFiles) throws IOException;

    @Override
    public final ClassList classes() {
        return classes;
    }

    @Override
    public final List<SampleRef> list(DatasetFs fs, List<String> splits) throws IOException {
        return scan(fs, splits, false).refs();
    }

    @Override
    public final List<FileEntry> inputFiles(DatasetFs fs, List<String> splits) throws IOException {
        return scan(fs, splits, true).files();
    }

    @Override
    public final DatasetListing listing(DatasetFs fs, List<String> splits) throws IOException {
        return scan(fs, splits, true);
    }

    @Override
    public final Sample load(SampleRef ref, DatasetFs fs) throws QuarantineException {
        return FileSampleLoader.load(ref, fs, classes, limits);
    }
}
