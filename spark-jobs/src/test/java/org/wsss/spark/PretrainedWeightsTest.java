package org.wsss.spark;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.affinity.AffinityNets;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.FrozenBatchNorm;
import org.wsss.nn.InputNorm;
import org.wsss.nn.ModelZip;
import org.wsss.nn.TrainingHyper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainedWeightsTest {
    @TempDir
    Path tmp;

    /** A small classifier's weights given to AffinityNet by file:// URI: its 7 conv + 7 x 4 batch-norm arrays. */
    @Test
    void aWeightsFileByUriInitialisesTheBackboneFreezesItsBatchNormsAndReportsTheCopy() throws Exception {
        ComputationGraph classifier = ClassifierNets.smallDilated(4, 9);
        Path file = Files.write(tmp.resolve("backbone.zip"), ModelZip.toBytes(classifier, false, InputNorm.CAFFE));
        ComputationGraph fresh = AffinityNets.small(8, 5, 1, TrainingHyper.smallNetDefaults());
        int affinityArrays = 0;
        for (Layer l : fresh.getLayers()) {
            affinityArrays += l.paramTable().size();
        }

        PretrainedWeights.Init init = PretrainedWeights.initialise(new Configuration(), "affinity.pretrained",
                file.toUri().toString(), true, true, fresh);

        Map<String, Object> m = init.metrics();
        assertEquals(file.toUri().toString(), m.get("pretrained_file"));
        assertEquals(7 + 7 * 4, m.get("pretrained_copied"));
        assertEquals(affinityArrays - 35, m.get("pretrained_skipped"), "AffinityNet's own layers");
        assertEquals(1, m.get("pretrained_unused"), "the classifier head scores/W");
        assertEquals("caffe", m.get("input_norm"));
        assertEquals(InputNorm.CAFFE, init.inputNorm());
        assertEquals(7, m.get("frozen_batch_norms"));
        assertTrue(init.net().getLayer("bn4").conf().getLayer() instanceof FrozenBatchNorm);
        assertEquals(classifier.getLayer("conv5").getParam("W"), init.net().getLayer("conv5").getParam("W"));
        assertEquals(classifier.getLayer("bn6").getParam("var"), init.net().getLayer("bn6").getParam("var"));
    }

    @Test
    void noFileKeepsTheFreshNetworkWithTorchvisionInput() {
        ComputationGraph fresh = ClassifierNets.smallDilated(3, 1);
        PretrainedWeights.Init init = PretrainedWeights.initialise(new Configuration(), "train.pretrained", "",
                false, true, fresh);
        assertEquals(InputNorm.TORCHVISION, init.inputNorm());
        assertEquals(0, init.metrics().get("pretrained_copied"));
        assertEquals(0, init.metrics().get("frozen_batch_norms"));
        assertEquals(fresh.params(), init.net().params());
    }

    @Test
    void aMissingFileIsRefusedNamingTheSetting() {
        String missing = tmp.resolve("nope.safetensors").toUri().toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PretrainedWeights.initialise(
                new Configuration(), "classifier.pretrained", missing, false, true, ClassifierNets.smallDilated(3, 1)));
        assertEquals("classifier.pretrained = " + missing + ": no such file", e.getMessage());
    }
}
