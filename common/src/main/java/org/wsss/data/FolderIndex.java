package org.wsss.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers "is this file there?" for many files with one listing per folder instead of one exists() call per
 * file (a remote file system pays a round trip for each), and keeps the entries for the input fingerprint.
 */
final class FolderIndex {

    private final DatasetFs fs;
    private final Map<String, Map<String, FileEntry>> listings = new HashMap<>();

    FolderIndex(DatasetFs fs) {
        this.fs = fs;
    }

    /** The listing entry of the file at {@code path}, or null when its folder does not hold it. */
    FileEntry find(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        Map<String, FileEntry> listing = listings.get(folder);
        if (listing == null) {
            listing = new HashMap<>();
            for (FileEntry e : fs.list(folder)) {
                listing.put(e.name(), e);
            }
            listings.put(folder, listing);
        }
        return listing.get(name);
    }

    /** The entries of those of {@code paths} that exist, in the given order, each once. */
    List<FileEntry> entries(Collection<String> paths) throws IOException {
        Map<String, FileEntry> out = new LinkedHashMap<>();
        for (String p : paths) {
            FileEntry e = find(p);
            if (e != null) {
                out.putIfAbsent(p, e);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** Lines of a small text file (a split or class list), UTF-8. */
    static List<String> lines(DatasetFs fs, String path) throws IOException {
        String text = new String(fs.readAll(path), StandardCharsets.UTF_8);
        return text.lines().toList();
    }
}
