package org.wsss.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** A {@link LocalFs} that records which operations a reader performs. */
final class CountingFs implements DatasetFs {
    private final LocalFs fs = new LocalFs();
    final List<String> existsCalls = new ArrayList<>();
    final List<String> listCalls = new ArrayList<>();
    final List<String> opened = new ArrayList<>();

    @Override
    public boolean exists(String path) {
        existsCalls.add(path);
        return fs.exists(path);
    }

    @Override
    public boolean isDirectory(String path) {
        return fs.isDirectory(path);
    }

    @Override
    public InputStream open(String path) throws IOException {
        opened.add(path);
        return fs.open(path);
    }

    @Override
    public List<FileEntry> list(String dir) throws IOException {
        listCalls.add(dir);
        return fs.list(dir);
    }
}
