package org.wsss.data;

import java.util.List;

/** What a reader's driver-side scan found: the sample references and the files that fingerprint them. */
public record DatasetListing(List<SampleRef> refs, List<FileEntry> files) {
}
