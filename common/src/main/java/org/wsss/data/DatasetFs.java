package org.wsss.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.List;

/**
 * The file operations the dataset readers need, so that they stay engine-free: {@link LocalFs} serves
 * tests and local runs, the Spark jobs plug in a Hadoop FileSystem implementation (file://, hdfs://, s3a://).
 * Paths are plain strings joined with '/'.
 */
public interface DatasetFs extends Serializable {

    boolean exists(String path) throws IOException;

    /** True when {@code path} exists and is a folder (reading it as a file would fail deep in the reader). */
    boolean isDirectory(String path) throws IOException;

    InputStream open(String path) throws IOException;

    /** Files directly inside {@code dir} (not recursive), sorted by name; empty when the folder is absent. */
    List<FileEntry> list(String dir) throws IOException;

    default byte[] readAll(String path) throws IOException {
        try (InputStream in = open(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    static String join(String root, String... parts) {
        StringBuilder sb = new StringBuilder(root);
        for (String p : parts) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '/') {
                sb.append('/');
            }
            sb.append(p.startsWith("/") ? p.substring(1) : p);
        }
        return sb.toString();
    }
}
