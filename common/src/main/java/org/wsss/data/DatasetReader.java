package org.wsss.data;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * One dataset format. {@link #list} runs on the driver and must stay cheap (listings and small text files);
 * {@link #load} runs on executors, reads one image with its annotations and checks them.
 */
public interface DatasetReader extends Serializable {

    ClassList classes();

    /**
     * References for the given splits in a stable order. A broken layout (a missing split list, say) throws
     * {@link IllegalArgumentException} naming the path; a single bad image is not an error here.
     */
    List<SampleRef> list(DatasetFs fs, List<String> splits) throws IOException;

    /** Files whose (path, size, modification time) make the input fingerprint: every folder and list read. */
    List<FileEntry> inputFiles(DatasetFs fs, List<String> splits) throws IOException;

    /** {@link #list} and {@link #inputFiles} together; readers that can, scan the dataset only once for both. */
    default DatasetListing listing(DatasetFs fs, List<String> splits) throws IOException {
        return new DatasetListing(list(fs, splits), inputFiles(fs, splits));
    }

    /** Reads and checks one image; anything unusable about it is a {@link QuarantineException} with the reason. */
    Sample load(SampleRef ref, DatasetFs fs) throws QuarantineException;
}
