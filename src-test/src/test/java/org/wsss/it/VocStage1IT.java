package org.wsss.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stage 1 through the CLI on a VOC-layout folder with its own class list, as the held-out check runs it:
 * ingest, train-classifier, make-cams, eval-cams, then the CAM mIoU read from metrics.json.
 */
class VocStage1IT {

    @Test
    void stageOneRunsOnAVocLayoutDatasetAndReportsCamMiou(@TempDir Path tmp) throws Exception {
        Path root = VocTree.write(tmp.resolve("voc"), 16);
        Path run = tmp.resolve("run");
        List<String> common = List.of("--set", "dataset.format=voc", "--set", "dataset.root=" + root,
                "--set", "dataset.classes=[apple, pear]", "--set", "runtime.local-master=local[2]",
                "--set", "classifier.epochs=2", "--set", "classifier.input-size=48", "--set", "classifier.batch-size=4",
                "--set", "cam.scales=[1.0, 0.5]", "--set", "cam.sample-heatmaps=1", "--run-dir", run.toString());
        for (String stage : List.of("ingest", "train-classifier", "make-cams", "eval-cams")) {
            List<String> args = new ArrayList<>(List.of(stage));
            args.addAll(common);
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), stage + ": " + r.err());
        }
        JsonNode m = new ObjectMapper().readTree(run.resolve("eval-cams/metrics.json").toFile());
        double miou = m.get("miou").asDouble();
        assertTrue(miou > 0 && miou <= 1, "CAM mIoU " + miou);
        assertEquals(16, m.get("num_images").asInt(), "the truncated image was quarantined, the rest evaluated");
        assertTrue(m.get("per_class_iou").has("apple") && m.get("per_class_iou").has("pear"));
    }
}
