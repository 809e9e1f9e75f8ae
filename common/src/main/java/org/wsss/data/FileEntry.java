package org.wsss.data;

import java.io.Serializable;

/** One file of a listing: its full path, name, size and modification time (the input fingerprint uses all three). */
public record FileEntry(String path, String name, long length, long modificationTime) implements Serializable {
}
