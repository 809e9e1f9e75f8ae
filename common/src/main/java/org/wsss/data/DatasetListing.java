package org.wsss.data;

import java.util.List;

/**
 * What a reader's driver-side scan found: the sample references, the files that fingerprint them, the listed ids it
 * refused as (image_id, list file, reason) rows, for the quarantine table ({@link ImageIds#problem}), and the listed
 * images it left out because they carry no usable label (same rows; reported, not counted as broken).
 */
public record DatasetListing(List<SampleRef> refs, List<FileEntry> files, List<String[]> rejected,
                             List<String[]> unlabelled) {

    public DatasetListing(List<SampleRef> refs, List<FileEntry> files, List<String[]> rejected) {
        this(refs, files, rejected, List.of());
    }

    public DatasetListing(List<SampleRef> refs, List<FileEntry> files) {
        this(refs, files, List.of());
    }
}
