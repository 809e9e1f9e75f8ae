package org.wsss.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@link DatasetFs} over the local file system; accepts plain paths and file: URIs. */
public final class LocalFs implements DatasetFs {

    private static Path toPath(String path) {
        if (path.startsWith("file:")) {
            return Paths.get(java.net.URI.create(path.startsWith("file:///") || !path.startsWith("file:/")
                    ? path : "file://" + path.substring("file:".length())));
        }
        return Paths.get(path);
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(toPath(path));
    }

    @Override
    public boolean isDirectory(String path) {
        return Files.isDirectory(toPath(path));
    }

    @Override
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(toPath(path));
    }

    @Override
    public List<FileEntry> list(String dir) throws IOException {
        Path d = toPath(dir);
        List<FileEntry> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    out.add(new FileEntry(DatasetFs.join(dir, p.getFileName().toString()), p.getFileName().toString(),
                            Files.size(p), Files.getLastModifiedTime(p).toMillis()));
                }
            }
        }
        out.sort(Comparator.comparing(FileEntry::name));
        return out;
    }
}
