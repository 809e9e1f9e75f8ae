package org.wsss.report;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The report folder: index.html and the images beside it under img/ (any Hadoop file system). */
final class ReportFiles {
    static final String INDEX = "index.html";
    static final String IMG = "img";

    private final FileSystem fs;
    private final Path dir;

    ReportFiles(FileSystem fs, Path dir) throws IOException {
        this.fs = fs;
        this.dir = dir;
        // Images of an earlier report would otherwise linger; only a folder that holds a report is cleared.
        if (fs.exists(new Path(dir, INDEX)) && fs.exists(new Path(dir, IMG))) {
            fs.delete(new Path(dir, IMG), true);
        }
        fs.mkdirs(new Path(dir, IMG));
    }

    Path dir() {
        return dir;
    }

    /** Writes an image under img/ and returns its path relative to index.html. */
    String image(String fileName, byte[] bytes) throws IOException {
        if (!fileName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("report image name '" + fileName + "' has characters outside "
                    + "[A-Za-z0-9._-]");
        }
        write(new Path(new Path(dir, IMG), fileName), bytes);
        return IMG + "/" + fileName;
    }

    /** Written last, so a page is never there without its images. */
    Path index(String html) throws IOException {
        Path p = new Path(dir, INDEX);
        write(p, html.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private void write(Path p, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(p, true)) {
            out.write(bytes);
        }
    }

    /** An image id as a file-name part: characters outside [A-Za-z0-9._-] become '_'. */
    static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
