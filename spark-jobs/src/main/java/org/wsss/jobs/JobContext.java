package org.wsss.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.nn.Convs;
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
    /** Whether this context started the session, and so stops it: one it found running (a test's) is left alone. */
    private boolean ownsSpark;
    private Configuration hadoopConf;
    private RunDirLock lock;

    public JobContext(Settings settings, String runDir) {
        this(settings, runDir, null);
    }

    /** With an existing session (tests, or several stages in one driver); it is not stopped by {@link #close}. */
    public JobContext(Settings settings, String runDir, SparkSession spark) {
        this.settings = settings;
        this.runDir = new Path(runDir);
        this.spark = spark;
        // networks are built on the driver, by the stage this context runs
        Convs.use(Convs.Impl.parse(settings.get(Params.Runtime.CONV)));
    }

    public Settings settings() {
        return settings;
    }

    public synchronized SparkSession spark() {
        if (spark == null) {
            boolean running = SparkSession.getDefaultSession().isDefined()
                    && !SparkSession.getDefaultSession().get().sparkContext().isStopped();
            spark = Sessions.getOrCreate(settings, "wsss");
            ownsSpark = !running;
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
     * A stage's commit as found in the run directory: its parsed marker (null when there is none or it cannot be
     * parsed), why it cannot be parsed, and how the folder differs from the files the marker recorded.
     */
    public record Commit(StageMarker parsed, String unreadable, String damage) {
        /** The marker when the stage is committed and its folder still holds what it wrote; otherwise null. */
        public StageMarker valid() {
            return damage == null ? parsed : null;
        }
    }

    /**
     * Reads and checks a stage's commit. A marker that cannot be parsed (a disk filled mid-write, a hand edit, a
     * marker from before file lists) counts as no marker; so does one whose recorded files are no longer all
     * there with their sizes (a deleted or truncated part file). An I/O error is thrown, not taken for
     * "incomplete": that would clear a good stage.
     */
    public Commit commit(String stage) throws IOException {
        Path p = new Path(stageDir(stage), StageMarker.FILE);
        if (!fs().exists(p)) {
            return new Commit(null, null, null);
        }
        StageMarker m;
        try {
            m = StageMarker.parse(readText(p));
        } catch (IllegalArgumentException e) {
            return new Commit(null, "marker " + p + " is unreadable (" + e.getMessage() + ")", null);
        }
        return new Commit(m, null, StageFiles.difference(m.files(), StageFiles.list(fs(), stageDir(stage))));
    }

    /**
     * The committed marker of a stage, or null when the stage has not completed in this run directory or its
     * folder no longer holds what the marker recorded (see {@link #commit}); the reason is logged.
     */
    public StageMarker marker(String stage) throws IOException {
        Commit c = commit(stage);
        if (c.unreadable() != null) {
            LOG.warn("{}: {}; the stage counts as incomplete and will rerun", stage, c.unreadable());
        } else if (c.damage() != null) {
            LOG.warn("{}: committed output under {} is incomplete: {}; the stage counts as incomplete and will rerun",
                    stage, stageDir(stage), c.damage());
        }
        return c.valid();
    }

    /** The committed marker of an input stage; a missing or damaged one is an error telling which stage to run. */
    public StageMarker requireComplete(String stage) throws IOException {
        Commit c = commit(stage);
        if (c.damage() != null) {
            throw new IllegalStateException("the committed output of stage '" + stage + "' under " + stageDir(stage)
                    + " is incomplete: " + c.damage() + "; rerun stage " + stage + ": `wsss " + stage
                    + " --run-dir " + runDir + "`");
        }
        if (c.valid() == null) {
            String why = c.unreadable() != null ? " (" + c.unreadable() + ")" : "";
            throw new IllegalStateException("the output of stage '" + stage + "' is missing or incomplete under "
                    + stageDir(stage) + why + "; run `wsss " + stage + " --run-dir " + runDir + "` first");
        }
        return c.valid();
    }

    /**
     * Makes this process the one writer of the run directory until {@link #close} (see {@link RunDirLock}); commands
     * that only read it (report, config) do not call this.
     */
    public synchronized void lockRunDir(String command) throws IOException {
        if (lock == null) {
            lock = RunDirLock.acquire(fs(), runDir, command);
        }
    }

    @Override
    public void close() {
        try {
            if (ownsSpark && spark != null) {
                spark.stop();
                spark = null;
            }
        } finally {
            synchronized (this) {
                if (lock != null) {
                    lock.close();
                    lock = null;
                }
            }
        }
    }
}
