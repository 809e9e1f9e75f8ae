package org.wsss.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.jobs.Stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The held-out check end to end through the CLI: `export-synthetic` writes a seed the defaults were not tuned on
 * as a VOC folder, then `pipeline` reads it with the VOC reader, once on pseudo-labels (every stage) and once on the
 * exported points from scratch (no CAM, affinity or walk stage). Tiny sizes: this checks the contract, not quality.
 */
class HeldOutVocIT {
    static final int IMAGES = 48;
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SMALL = List.of("runtime.local-master=local[2]",
            "dataset.classes=[disc, square, triangle, ring, cross, star]",
            "classifier.epochs=2", "classifier.input-size=64", "classifier.batch-size=8",
            "cam.scales=[1.0]", "cam.flip=false", "cam.sample-heatmaps=0",
            "affinity.input-size=64", "affinity.epochs=1", "affinity.batch-size=4", "walk.steps=16",
            "train.input-size=64", "train.epochs=2", "train.batch-size=4",
            "predict.scales=[1.0]", "predict.flip=false");
    static final List<String> CAM_AND_WALK = List.of("train-classifier", "make-cams", "eval-cams",
            "make-affinity-labels", "train-affinity", "random-walk", "eval-labels");

    @TempDir
    Path tmp;

    static String[] pipeline(Path runDir, Path root, String... extra) {
        List<String> settings = new ArrayList<>(List.of("dataset.format=voc", "dataset.root=" + root));
        settings.addAll(SMALL);
        return Cli.withSettings("pipeline", runDir, settings, extra);
    }

    static double fraction(JsonNode m, String key, String stage) {
        assertTrue(m.has(key), stage + " metrics.json has " + key + ": " + m);
        double v = m.get(key).asDouble();
        assertTrue(v >= 0 && v <= 1, stage + " " + key + " = " + v);
        return v;
    }

    @Test
    void heldOutVocExportTrainsOnPseudoLabelsAndOnPointsAndEvaluatesOnItsValSplit() throws Exception {
        Path root = tmp.resolve("voc");
        Cli.Result export = Cli.run("export-synthetic", "--out", root.toString(), "--count", String.valueOf(IMAGES),
                "--size", "64", "--seed", "11", "--val-fraction", "0.25");
        assertEquals(0, export.exitCode(), export.err());
        List<String> train = Files.readAllLines(root.resolve("ImageSets/Segmentation/train.txt"));
        List<String> val = Files.readAllLines(root.resolve("ImageSets/Segmentation/val.txt"));
        assertEquals(IMAGES, train.size() + val.size());
        assertFalse(val.isEmpty());

        Cli.Result again = Cli.run("export-synthetic", "--out", root.toString(), "--count", "4");
        assertEquals(2, again.exitCode(), "an export into a non-empty folder is refused");
        assertTrue(again.err().contains(root.toString()), again.err());

        Path run = tmp.resolve("run");
        long t0 = System.nanoTime();
        Cli.Result p = Cli.run(pipeline(run, root));
        double pseudoSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, p.exitCode(), p.err());
        for (String stage : Stages.names()) {
            // make-prototypes is SegSort's (train.method = segsort), make-instances IRNet's (affinity.method = irn):
            // the default pipeline needs neither
            boolean needed = !stage.equals("make-prototypes") && !stage.equals("make-instances");
            assertEquals(needed, Files.isRegularFile(run.resolve(stage).resolve("_STAGE.json")),
                    stage + (needed ? " committed" : " not run"));
        }
        double cam = fraction(Cli.metrics(run, "eval-cams"), "miou", "eval-cams");
        JsonNode labels = Cli.metrics(run, "eval-labels");
        double pseudo = fraction(labels, "miou", "eval-labels");
        double pseudoVal = fraction(labels, "val_miou", "eval-labels");
        JsonNode eval = Cli.metrics(run, "evaluate");
        double seg = fraction(eval, "miou", "evaluate");
        fraction(eval, "pixel_accuracy", "evaluate");
        fraction(eval, "mean_accuracy", "evaluate");
        assertEquals(val.size(), eval.get("num_images").asInt(), "evaluate scores the val split");

        Path pts = tmp.resolve("run-points");
        t0 = System.nanoTime();
        Cli.Result q = Cli.run(pipeline(pts, root, "train.supervision=points",
                "dataset.points=" + root.resolve("points.jsonl"), "train.init=scratch"));
        double pointSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, q.exitCode(), q.err());
        for (String stage : CAM_AND_WALK) {
            assertFalse(Files.exists(pts.resolve(stage)), stage + " is not needed from points and scratch");
        }
        for (String stage : List.of("ingest", "train-segmentation", "predict", "evaluate")) {
            assertTrue(Files.isRegularFile(pts.resolve(stage).resolve("_STAGE.json")), stage + " committed");
        }
        JsonNode trained = Cli.metrics(pts, "train-segmentation");
        assertEquals("points", trained.get("supervision").asText());
        assertEquals(trainPointsInFile(root.resolve("points.jsonl"), new HashSet<>(train)),
                trained.get("num_points").asLong(), "every point of a train image in points.jsonl is trained on");
        JsonNode pointEval = Cli.metrics(pts, "evaluate");
        double pointSeg = fraction(pointEval, "miou", "evaluate (points)");
        double pointAcc = fraction(pointEval, "pixel_accuracy", "evaluate (points)");
        assertEquals(val.size(), pointEval.get("num_images").asInt());

        System.out.printf("HeldOutVocIT (%d images, %d val, 64 px, seed 11): CAM mIoU %.3f, pseudo-label mIoU %.3f "
                        + "(val %.3f), segmentation val mIoU %.3f [%.0f s]; points: val mIoU %.3f, pixel accuracy "
                        + "%.3f [%.0f s]%n", IMAGES, val.size(), cam, pseudo, pseudoVal, seg, pseudoSeconds,
                pointSeg, pointAcc, pointSeconds);
    }

    /** Points of the listed train images, counted straight from the JSON lines. */
    static long trainPointsInFile(Path file, Set<String> trainIds) throws Exception {
        long n = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = JSON.readTree(line);
            if (trainIds.contains(o.get("image_id").asText())) {
                n += o.get("points").size();
            }
        }
        return n;
    }
}
