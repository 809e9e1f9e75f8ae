package org.wsss.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Settings;
import org.wsss.spark.HadoopDatasetFs;
import org.wsss.spark.Sessions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** What a stage needs to run: the settings, the run directory (any Hadoop FS) and, on first use, Spark. */
public final class JobContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobContext.class);

    private final Settings settings;
    private final Path runDir;
    private SparkSession spark;
    private final boolean ownsSpark;
    private Configuration hadoopConf;

    public JobContext(Settings settings, String runDir) {
        this(settings, runDir, null);
    }

    /** With an existing session (tests, or several stages in one driver); it is not stopped by {@link #close}. */
    public JobContext(Settings settings, String runDir, SparkSession spark) {
        this.settings = settings;
        this.runDir = new Path(runDir);
        this.spark = spark;
        this.ownsSpark = spark == null;
    }

    public Settings settings() {
        return settings;
    }

    public synchronized SparkSession spark() {
        if (spark == null) {
            spark = Sessions.getOrCreate(settings, "wsss");
        }
        return spark;
    }

    public JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    public synchronized Configuration hadoopConf() {
        if (hadoopConf == null) {
            hadoopConf = spark != null ? spark.sparkContext().hadoopConfiguration() : new Configuration();
        }
        return hadoopConf;
    }

    public HadoopDatasetFs datasetFs() {
        return new HadoopDatasetFs(hadoopConf());
    }

    public Path runDir() {
        return runDir;
    }

    public Path stageDir(String stage) {
        return new Path(runDir, stage);
    }

    /** A stage output path as a string Spark's readers and writers accept. */
    public String stagePath(String stage, String child) {
        return new Path(stageDir(stage), child).toString();
    }

    public FileSystem fs() throws IOException {
        FileSystem fs = runDir.getFileSystem(hadoopConf());
        // Local runs: no .crc side files for our own small files (and edits by hand stay readable).
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRaw() : fs;
    }

    /** Writes a small text file atomically: a temporary sibling, then a rename. */
    public void writeText(Path path, String text) throws IOException {
        FileSystem fs = fs();
        Path tmp = new Path(path.getParent(), "." + path.getName() + "." + UUID.randomUUID() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (fs.exists(path)) {
            fs.delete(path, false);
        }
        if (!fs.rename(tmp, path)) {
            throw new IOException("could not rename " + tmp + " to " + path);
        }
    }

    public String readText(Path path) throws IOException {
        try (InputStream in = fs().open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The committed marker of a stage, or null when the stage has not completed in this run directory. A marker
     * that cannot be parsed (a disk filled mid-write, a hand edit) counts as no marker: the stage is incomplete and
     * reruns. An I/O error reading it is thrown, not taken for "incomplete": that would clear a good stage.
     */
    public StageMarker marker(String stage) throws IOException {
        Path p = new Path(stageDir(stage), StageMarker.FILE);
        if (!fs().exists(p)) {
            return null;
        }
        String text = readText(p);
        try {
            return StageMarker.parse(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: marker {} is unreadable ({}); the stage counts as incomplete and will rerun", stage, p,
                    e.getMessage());
            return null;
        }
    }

    /** Why the marker file at p cannot be used, or null when it can. */
    private String unreadable(Path p) throws IOException {
        try {
            StageMarker.parse(readText(p));
            return null;
        } catch (IllegalArgumentException e) {
            return "marker " + p + " is unreadable (" + e.getMessage() + ")";
        }
    }

    /** The committed marker of an input stage; a missing one is an error telling which stage to run. */
    public StageMarker requireComplete(String stage) throws IOException {
        StageMarker m = marker(stage);
        if (m == null) {
            Path p = new Path(stageDir(stage), StageMarker.FILE);
            String why = fs().exists(p) ? " (" + unreadable(p) + ")" : "";
            throw new IllegalStateException("the output of stage '" + stage + "' is missing or incomplete under "
                    + stageDir(stage) + why + "; run `wsss " + stage + " --run-dir " + runDir + "` first");
        }
        return m;
    }

    @Override
    public void close() {
        if (ownsSpark && spark != null) {
            spark.stop();
            spark = null;
        }
    }
}
