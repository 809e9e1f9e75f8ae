package org.wsss.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The LID path end to end through the CLI, on `export-synthetic --layout lid`: ILSVRC DET's training lists (one
 * image with no positive tag), LID track 1's val list with greyscale ground truth and its test list without; ingest,
 * stage 1 with a class excluded, IRNet and its walk, segmentation, prediction of val and test, and the submission
 * zip.
 */
class LidFixtureIT {
    static final int IMAGES = 48;
    /** HeldOutVocIT.SMALL's dataset.classes, the synthetic shapes. */
    static final List<String> CLASSES = List.of("disc", "square", "triangle", "ring", "cross", "star");
    static final int EXCLUDED = 6;

    @TempDir
    Path tmp;

    @Test
    void lidLayoutGoesThroughIrnetToASubmissionZipWithAnExcludedClassNowhereInThePseudoLabels() throws Exception {
        Path root = tmp.resolve("lid");
        Cli.Result export = Cli.run("export-synthetic", "--layout", "lid", "--out", root.toString(), "--count",
                String.valueOf(IMAGES), "--size", "64", "--seed", "11", "--val-fraction", "0.25");
        assertEquals(0, export.exitCode(), export.err());
        Matcher m = Pattern.compile("\\((\\d+) of them without a positive tag\\)").matcher(export.out());
        assertTrue(m.find(), export.out());
        long untagged = Long.parseLong(m.group(1));
        List<String> val = Files.readAllLines(root.resolve("LID_track1/val.txt"));
        List<String> test = Files.readAllLines(root.resolve("LID_track1/test.txt"));
        assertFalse(val.isEmpty() || test.isEmpty());

        Path run = tmp.resolve("run");
        List<String> settings = new ArrayList<>(List.of("dataset.format=lid", "dataset.root=" + root,
                "dataset.splits=[train, val, test]",
                "predict.splits=[val, test]", "classifier.exclude-classes=[star]", "affinity.method=irn"));
        settings.addAll(HeldOutVocIT.SMALL);
        Cli.Result p = Cli.run(Cli.withSettings("pipeline", run, settings));
        assertEquals(0, p.exitCode(), p.err());

        JsonNode ingest = Cli.metrics(run, "ingest");
        assertEquals(untagged, ingest.get("num_listed_without_labels").asLong(), "images without a tag are counted");
        assertEquals(test.size(), ingest.get("images_per_split").get("test").asLong());
        assertEquals("irn", Cli.metrics(run, "train-affinity").get("method").asText());
        assertEquals("irn", Cli.metrics(run, "random-walk").get("method").asText());
        JsonNode instances = Cli.metrics(run, "make-instances");
        assertEquals(ingest.get("num_images").asLong(), instances.get("num_images").asLong(),
                "IRNet's instance masks of every image");
        JsonNode eval = Cli.metrics(run, "evaluate");
        assertEquals(val.size(), eval.get("num_images").asInt(), "evaluate scores LID's val split");

        // the excluded class: no pixel of it in any pseudo-label, and no background where an image is tagged with it
        Set<String> tagged = new HashSet<>();
        for (String line : Files.readAllLines(root.resolve("ImageSets/DET/train_" + EXCLUDED + ".txt"))) {
            if (line.endsWith(" 1")) {
                tagged.add(line.split(" ")[0]);
            }
        }
        assertFalse(tagged.isEmpty(), "the fixture has images of the excluded class");
        int seen = 0;
        int taggedSeen = 0;
        try (var files = Files.list(run.resolve("random-walk/png"))) {
            for (Path f : files.toList()) {
                String id = org.wsss.data.ImageIds.fromFileName(f.getFileName().toString().replace(".png", ""));
                LabelMask labels = ImageCodec.decodeMask(Files.readAllBytes(f), f.toString());
                boolean hasTag = tagged.contains(id);
                for (byte b : labels.labels()) {
                    assertNotEquals(EXCLUDED, b & 0xff, id + ": a pixel of the excluded class");
                    if (hasTag) {
                        assertNotEquals(0, b & 0xff, id + " is tagged with the excluded class: no pixel is background");
                    }
                }
                seen++;
                taggedSeen += hasTag ? 1 : 0;
            }
        }
        assertTrue(seen > 0 && taggedSeen > 0, seen + " pseudo-labels, " + taggedSeen + " tagged with the excluded class");

        Cli.Result sub = Cli.run("export-submission", "--run-dir", run.toString());
        assertEquals(0, sub.exitCode(), sub.err());
        Path zip = run.resolve("submission/test.zip");
        Map<String, LabelMask> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] png = in.readAllBytes();
                assertEquals(0, png[25], e.getName() + ": an 8-bit greyscale PNG");
                assertEquals(8, png[24], e.getName());
                entries.put(e.getName(), ImageCodec.decodeMask(png, e.getName()));
            }
        }
        assertEquals(test.size(), entries.size(), "one PNG per test image");
        for (String id : test) {
            LabelMask mask = entries.get(id + ".png");
            assertNotNull(mask, id + ".png in the zip");
            RgbImage image = ImageCodec.decodeRgb(Files.readAllBytes(root.resolve("LID_track1/test/" + id + ".JPEG")));
            assertEquals(image.width(), mask.width(), id);
            assertEquals(image.height(), mask.height(), id);
            for (byte b : mask.labels()) {
                assertTrue((b & 0xff) <= CLASSES.size(), id + ": value " + (b & 0xff) + " beyond 0.." + CLASSES.size());
            }
        }
        System.out.printf("LidFixtureIT (%d images, %d val, %d test, 64 px): %d training images without a tag "
                        + "reported; %d pseudo-labels, %d tagged with the excluded class; segmentation val mIoU %.3f; "
                        + "submission %d PNGs%n", IMAGES, val.size(), test.size(), untagged, seen, taggedSeen,
                eval.get("miou").asDouble(), entries.size());
    }
}
