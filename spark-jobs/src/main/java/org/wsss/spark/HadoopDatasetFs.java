package org.wsss.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.wsss.data.DatasetFs;
import org.wsss.data.FileEntry;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link DatasetFs} over the Hadoop FileSystem API, so datasets can live on file://, hdfs:// or s3a://. */
public final class HadoopDatasetFs implements DatasetFs {

    private final SerializableHadoopConf conf;

    public HadoopDatasetFs(Configuration conf) {
        this.conf = new SerializableHadoopConf(conf);
    }

    private FileSystem fs(Path p) throws IOException {
        return p.getFileSystem(conf.get());
    }

    @Override
    public boolean exists(String path) throws IOException {
        Path p = new Path(path);
        return fs(p).exists(p);
    }

    @Override
    public boolean isDirectory(String path) throws IOException {
        Path p = new Path(path);
        try {
            return fs(p).getFileStatus(p).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path p = new Path(path);
        return fs(p).open(p);
    }

    @Override
    public List<FileEntry> list(String dir) throws IOException {
        Path p = new Path(dir);
        List<FileEntry> out = new ArrayList<>();
        FileStatus[] statuses;
        try {
            statuses = fs(p).listStatus(p);
        } catch (FileNotFoundException e) {
            return out;
        }
        for (FileStatus st : statuses) {
            if (st.isFile()) {
                String name = st.getPath().getName();
                out.add(new FileEntry(DatasetFs.join(dir, name), name, st.getLen(), st.getModificationTime()));
            }
        }
        out.sort(Comparator.comparing(FileEntry::name));
        return out;
    }
}
