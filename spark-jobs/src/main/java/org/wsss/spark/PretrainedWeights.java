package org.wsss.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.nn.FineTuning;
import org.wsss.nn.InputNorm;
import org.wsss.nn.PretrainedInit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training stage's starting network: the fresh one with a weights file copied in ({@code *.pretrained}, on any
 * Hadoop file system) and its batch norms frozen when asked ({@code *.freeze-bn}). Only the driver reads the file,
 * once; executors get the initialised parameters with the rest of the network when training starts.
 */
public final class PretrainedWeights {
    private static final Logger LOG = LoggerFactory.getLogger(PretrainedWeights.class);

    /** The network, the input normalisation its weights expect, and what metrics.json reports about it. */
    public record Init(ComputationGraph net, InputNorm inputNorm, Map<String, Object> metrics) {
    }

    private PretrainedWeights() {
    }

    /**
     * @param key  the setting that named the file (for messages)
     * @param file the file's path or URI; blank: none, the fresh network as it is, torchvision input
     * @param strict model.pretrained-strict: PyTorch weights that do not cover the backbone are refused
     */
    public static Init initialise(Configuration conf, String key, String file, boolean freezeBn, boolean strict,
                                  ComputationGraph fresh) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("pretrained_file", file);
        InputNorm norm = InputNorm.TORCHVISION;
        ComputationGraph net = fresh;
        if (file.isBlank()) {
            metrics.put("pretrained_copied", 0);
            metrics.put("pretrained_skipped", 0);
        } else {
            PretrainedInit.CopyReport report = copyInto(conf, key, file, strict, net);
            LOG.info("{} = {}: {}", key, file, report.summary());
            metrics.put("pretrained_copied", report.copied().size());
            metrics.put("pretrained_skipped", report.skipped().size());
            metrics.put("pretrained_unused", report.unused().size());
            norm = report.inputNorm();
        }
        metrics.put("input_norm", norm.configName());
        if (freezeBn) {
            net = FineTuning.freezeBatchNorm(net);
        }
        metrics.put("frozen_batch_norms", FineTuning.frozenBatchNorms(net));
        return new Init(net, norm, metrics);
    }

    /** Copies the file into {@code target}: read in place on a local file system, else through a local copy. */
    public static PretrainedInit.CopyReport copyInto(Configuration conf, String key, String file, boolean strict,
                                                     ComputationGraph target) {
        Path path = new Path(file);
        File tmp = null;
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path) || !fs.getFileStatus(path).isFile()) {
                throw new IllegalArgumentException(key + " = " + file + ": no such file");
            }
            File local;
            if (fs instanceof LocalFileSystem l) {
                local = l.pathToFile(path);
            } else if (fs instanceof RawLocalFileSystem r) {
                local = r.pathToFile(path);
            } else {
                // keep the name: the reader tells Keras .h5 files apart by it
                tmp = Files.createTempDirectory("wsss-pretrained-").resolve(path.getName()).toFile();
                fs.copyToLocalFile(false, path, new Path(tmp.toURI()), true);
                local = tmp;
            }
            return PretrainedInit.fromFile(local, target, strict);
        } catch (IOException e) {
            throw new UncheckedIOException(key + " = " + file + ": cannot read it: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                tmp.delete();
                tmp.getParentFile().delete();
            }
        }
    }
}
