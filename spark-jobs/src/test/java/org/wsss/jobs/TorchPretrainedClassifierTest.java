package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.wsss.config.ConfigLoader;

/**
 * classifier.pretrained with a safetensors file goes through the torchvision name map under
 * model.pretrained-strict: the fixture (a narrow ResNet) cannot fill a ResNet-50, so strict mode refuses it
 * naming missing keys, and lenient mode builds the net anyway.
 */
class TorchPretrainedClassifierTest {

    private static final String FIXTURE = "../common/src/test/resources/resnet-fixture/weights.safetensors";

    @Test
    void strictModeRefusesAPartialCopyAndLenientModeBuildsTheNet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                TrainClassifierJob.newNetwork(ConfigLoader.load(List.of(), List.of("classifier.network=resnet50",
                        "classifier.pretrained=" + FIXTURE)), 3));
        assertTrue(e.getMessage().contains("model.pretrained-strict = true")
                && e.getMessage().contains("missing from the checkpoint")
                && e.getMessage().contains("layer1.1.conv1/W (layer1.1.conv1.weight)"), e.getMessage());

        ComputationGraph net = TrainClassifierJob.newNetwork(ConfigLoader.load(List.of(), List.of(
                "classifier.network=resnet50", "classifier.pretrained=" + FIXTURE, "model.pretrained-strict=false")), 3);
        assertEquals(3, net.getLayer("scores").getParam("W").size(1));
    }
}
