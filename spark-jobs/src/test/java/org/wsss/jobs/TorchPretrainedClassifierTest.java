package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.spark.PretrainedWeights;
import org.wsss.config.ConfigLoader;

/**
 * classifier.pretrained with a safetensors file goes through the torchvision name map under
 * model.pretrained-strict: the fixture (a narrow ResNet) cannot fill a ResNet-50, so strict mode refuses it
 * naming missing keys, and lenient mode builds the net anyway.
 */
class TorchPretrainedClassifierTest {

    private static final String FIXTURE = "../common/src/test/resources/resnet-fixture/weights.safetensors";

    /** The job's path: the settings' network, then classifier.pretrained with the settings' strictness. */
    private static PretrainedWeights.Init init(String... sets) {
        Settings s = ConfigLoader.load(List.of(), List.of(sets));
        return PretrainedWeights.initialise(new Configuration(), Params.Classifier.PRETRAINED.key(),
                s.get(Params.Classifier.PRETRAINED), s.get(Params.Classifier.FREEZE_BN),
                s.get(Params.Model.PRETRAINED_STRICT), TrainClassifierJob.newNetwork(s, 3));
    }

    @Test
    void strictModeRefusesAPartialCopyAndLenientModeBuildsTheNet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                init("classifier.network=resnet50", "classifier.pretrained=" + FIXTURE));
        assertTrue(e.getMessage().contains("model.pretrained-strict = true")
                && e.getMessage().contains("missing from the checkpoint")
                && e.getMessage().contains("layer1.1.conv1/W (layer1.1.conv1.weight)"), e.getMessage());

        PretrainedWeights.Init lenient = init("classifier.network=resnet50", "classifier.pretrained=" + FIXTURE,
                "model.pretrained-strict=false");
        assertEquals(3, lenient.net().getLayer("scores").getParam("W").size(1));
        // the fixture's stem (16 channels) cannot fill ResNet-50's (64): nothing of conv1 is copied, and the
        // metrics say how much was
        assertTrue(((Number) lenient.metrics().get("pretrained_skipped")).intValue() > 0, lenient.metrics().toString());
        assertEquals("torchvision", lenient.metrics().get("input_norm"));
    }
}
