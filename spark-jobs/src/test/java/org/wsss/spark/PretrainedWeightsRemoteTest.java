package org.wsss.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.InputNorm;
import org.wsss.nn.ModelZip;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A weights file on a file system that is not the local one is fetched through a local copy. */
class PretrainedWeightsRemoteTest {
    @TempDir
    Path tmp;

    @Test
    void aFileOnANonLocalFileSystemIsCopiedOnceAndLoaded() throws Exception {
        ComputationGraph source = ClassifierNets.smallDilated(3, 7);
        Path dir = Files.createDirectory(tmp.resolve("weights"));
        Files.write(dir.resolve("backbone.zip"), ModelZip.toBytes(source, false, InputNorm.CAFFE));
        // viewfs: a mount table over the local folder, a FileSystem that is neither LocalFileSystem nor raw
        Configuration conf = new Configuration();
        conf.set("fs.viewfs.mounttable.wsss.link./w", dir.toUri().toString());
        String uri = "viewfs://wsss/w/backbone.zip";
        org.apache.hadoop.fs.FileSystem fs = new org.apache.hadoop.fs.Path(uri).getFileSystem(conf);
        assertFalse(fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem, fs.getClass().getName());

        ComputationGraph target = ClassifierNets.smallDilated(3, 8);
        PretrainedWeights.Init init = PretrainedWeights.initialise(conf, "classifier.pretrained", uri, false, true, target);

        assertEquals(7 + 7 * 4 + 1, init.metrics().get("pretrained_copied"));
        assertEquals(InputNorm.CAFFE, init.inputNorm());
        assertEquals(source.params(), init.net().params());
    }
}
