package org.wsss.spark;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.wsss.jobs.JobContext;
import org.wsss.nn.InputNorm;
import org.wsss.nn.ModelZip;
import org.wsss.metrics.PhaseClock;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/** DL4J model zips on any Hadoop file system, written atomically; and as bytes for broadcasting. */
public final class ModelStore {
    private ModelStore() {
    }

    public static byte[] toBytes(ComputationGraph net, boolean withUpdater) {
        return ModelZip.toBytes(net, withUpdater);
    }

    /** A broadcast model for inference: the network and the input normalisation it was trained with. */
    public record Loaded(ComputationGraph net, InputNorm norm) {
    }

    /**
     * The model of a broadcast zip, loaded for inference and timed as the task's "model load" phase (the expensive
     * part of a task: once per partition, never per image).
     */
    public static Loaded load(byte[] zip, PhaseClock clock) {
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "model load")) {
            return new Loaded(fromBytes(zip, false), ModelZip.inputNorm(zip));
        }
    }

    public static ComputationGraph fromBytes(byte[] zip, boolean withUpdater) {
        return ModelZip.fromBytes(zip, withUpdater);
    }

    public static void save(JobContext ctx, Path path, ComputationGraph net, boolean withUpdater) throws IOException {
        save(ctx, path, net, withUpdater, InputNorm.TORCHVISION);
    }

    /** Saves with the input normalisation the net was trained with recorded ({@link ModelZip#inputNorm}). */
    public static void save(JobContext ctx, Path path, ComputationGraph net, boolean withUpdater, InputNorm norm)
            throws IOException {
        byte[] bytes = ModelZip.toBytes(net, withUpdater, norm);
        FileSystem fs = ctx.fs();
        Path tmp = new Path(path.getParent(), "." + path.getName() + "." + UUID.randomUUID() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(bytes);
        }
        fs.delete(path, false);
        if (!fs.rename(tmp, path)) {
            throw new IOException("could not rename " + tmp + " to " + path);
        }
    }

    /** A model file a setting names, on any Hadoop file system; a missing one is an error naming the setting. */
    public static byte[] readBytes(JobContext ctx, String key, String file) throws IOException {
        Path path = new Path(file);
        try (InputStream in = path.getFileSystem(ctx.hadoopConf()).open(path)) {
            return in.readAllBytes();
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(key + " = " + file + ": no such file", e);
        }
    }

    public static byte[] readBytes(JobContext ctx, Path path) throws IOException {
        try (InputStream in = ctx.fs().open(path)) {
            return in.readAllBytes();
        }
    }

    public static ComputationGraph load(JobContext ctx, Path path, boolean withUpdater) throws IOException {
        return fromBytes(readBytes(ctx, path), withUpdater);
    }
}
