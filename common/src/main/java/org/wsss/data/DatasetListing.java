package org.wsss.data;

import java.util.List;

/**
 * What a reader's driver-side scan found: the sample references, the files that fingerprint them, and the listed
 * ids it refused as (image_id, list file, reason) rows, for the quarantine table ({@link ImageIds#problem}).
 */
public record DatasetListing(List<SampleRef> refs, List<FileEntry> files, List<String[]> rejected) {

    public DatasetListing(List<SampleRef> refs, List<FileEntry> files) {
        this(refs, files, List.of());
    }
}
