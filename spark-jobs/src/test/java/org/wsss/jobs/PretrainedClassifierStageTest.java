package org.wsss.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.InputNorm;
import org.wsss.nn.ModelZip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** train-classifier from a weights file with frozen batch norms, in a local Spark. */
class PretrainedClassifierStageTest {
    @TempDir
    Path tmp;

    @Test
    void metricsReportTheCopyAndTheModelKeepsTheWeightsNormalisationAndFrozenStatistics() throws Exception {
        // 9 classes, not the synthetic set's: every backbone array copies, the head is skipped
        ComputationGraph source = ClassifierNets.smallDilated(9, 42);
        for (Layer l : source.getLayers()) {
            if (l.conf().getLayer() instanceof BatchNormalization) {
                l.getParam("var").assign(1.7);
                l.getParam("mean").assign(0.3);
            }
        }
        Path weights = Files.write(tmp.resolve("weights.zip"), ModelZip.toBytes(source, false, InputNorm.CAFFE));
        List<String> sets = new ArrayList<>(List.of(Stage1JobsTest.SETS));
        sets.addAll(List.of("classifier.epochs=1", "classifier.pretrained=\"" + weights.toUri() + "\"",
                "classifier.freeze-bn=true"));
        Settings s = ConfigLoader.load(List.of(), sets);
        Path run = tmp.resolve("run");
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            StageRunner.run(new IngestJob(), ctx);
            StageRunner.run(new TrainClassifierJob(), ctx);
        }

        JsonNode m = new ObjectMapper().readTree(run.resolve("train-classifier/metrics.json").toFile());
        assertEquals(weights.toUri().toString(), m.get("pretrained_file").asText());
        assertEquals(7 + 7 * 4, m.get("pretrained_copied").asInt(), "7 convs, 7 batch norms x 4 arrays");
        assertEquals(1, m.get("pretrained_skipped").asInt(), "the head: 9 classes in the file");
        assertEquals("caffe", m.get("input_norm").asText());
        assertEquals(7, m.get("frozen_batch_norms").asInt());

        byte[] model = Files.readAllBytes(run.resolve("train-classifier/model.zip"));
        assertEquals(InputNorm.CAFFE, ModelZip.inputNorm(model), "make-cams will feed Caffe-style input");
        ComputationGraph trained = ModelZip.fromBytes(model, false);
        for (Layer l : source.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            if (l.conf().getLayer() instanceof BatchNormalization) {
                for (String p : List.of("mean", "var", "gamma", "beta")) {
                    assertEquals(l.getParam(p), trained.getLayer(name).getParam(p), name + "/" + p + " frozen");
                }
            } else if (name.startsWith("conv")) {
                assertNotEquals(l.getParam("W"), trained.getLayer(name).getParam("W"), name + " trained");
            }
        }
    }
}
