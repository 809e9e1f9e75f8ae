package org.wsss.synthetic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.data.ClassList;
import org.wsss.data.ImageCodec;
import org.wsss.data.LidLayout;
import org.wsss.data.LidReader;
import org.wsss.data.LocalFs;
import org.wsss.data.Sample;
import org.wsss.data.SampleRef;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported LID tree, read back with the LID reader, holds every scene with its own labels and masks. */
class LidExportTest {
    private static final SyntheticSpec SPEC = new SyntheticSpec(30, 32, 11L, 0.3, 4);

    @TempDir
    Path root;

    @Test
    void theLidReaderReadsBackEverySceneWithItsLabelsAndValMasks() throws Exception {
        LidExport.Summary s = LidExport.write(SPEC, root);
        SyntheticScenes scenes = new SyntheticScenes(SPEC);
        ClassList classes = new ClassList(scenes.classNames());
        LidReader reader = new LidReader(root.toString(), classes, LidLayout.DEFAULT);
        LocalFs fs = new LocalFs();
        List<SampleRef> train = reader.list(fs, List.of("train"));
        List<SampleRef> val = reader.list(fs, List.of("val"));
        List<SampleRef> test = reader.list(fs, List.of("test"));
        assertEquals(SPEC.count(), s.trainImages() + s.valImages() + s.testImages());
        assertEquals(s.trainImages() - s.trainWithoutTags(), train.size(), "images without a positive tag left out");
        assertEquals(s.trainWithoutTags(), reader.listing(fs, List.of("train")).unlabelled().size());
        assertEquals(s.valImages(), val.size());
        assertEquals(s.testImages(), test.size());
        assertTrue(s.valImages() > 0 && s.trainImages() > 0 && s.testImages() > 0);
        assertTrue(Math.abs(s.valImages() - s.testImages()) <= 1, "val scenes alternate between val and test");
        int trainSeen = 0;
        int lacking = 0;
        int partialOnly = 0;
        int hidden = 0;
        List<String> unlabelled = reader.listing(fs, List.of("train")).unlabelled().stream().map(u -> u[0]).toList();
        for (int i = 0; i < SPEC.count(); i++) {
            Scene scene = scenes.render(i);
            List<String> names = Arrays.stream(scene.labels()).mapToObj(c -> scenes.classNames().get(c - 1)).toList();
            if (scene.split().equals("train") && scene.labels().length == 0) {
                trainSeen++;
                hidden++;
            } else if (scene.split().equals("train")) {
                String id = LidExport.trainId(i);
                assertTrue(Files.exists(root.resolve("Data/DET/train/train_0000/" + scene.imageId() + ".JPEG")));
                trainSeen++;
                SampleRef ref = train.stream().filter(r -> r.imageId().equals(id)).findFirst().orElse(null);
                if (ref == null) {
                    assertTrue(unlabelled.contains(id), id + " is left out only when it has no positive tag");
                    partialOnly++;
                    continue;
                }
                assertEquals(names, ref.labelNames(), id);
                if (scene.labels().length < classes.size()) {
                    lacking++;
                }
            } else if (test.stream().anyMatch(r -> r.imageId().equals(scene.imageId()))) {
                SampleRef ref = test.stream().filter(r -> r.imageId().equals(scene.imageId())).findFirst().orElseThrow();
                assertEquals(null, ref.maskPath(), "no test ground truth");
                assertTrue(Files.exists(root.resolve("LID_track1/test/" + scene.imageId() + ".JPEG")));
            } else {
                SampleRef ref = val.stream().filter(r -> r.imageId().equals(scene.imageId())).findFirst().orElseThrow();
                byte[] png = Files.readAllBytes(root.resolve("LID_track1/val_gt/" + scene.imageId() + ".png"));
                assertEquals(0, png[25], "colour type 0: greyscale ground truth, as LID's");
                Sample sample = reader.load(ref, fs);
                assertNotNull(sample.maskPng(), scene.imageId());
                assertArrayEquals(scene.mask().labels(),
                        ImageCodec.decodeMask(sample.maskPng(), scene.imageId()).labels(), scene.imageId());
                assertArrayEquals(scene.labels(), sample.labels(), scene.imageId());
            }
        }
        assertEquals(s.trainImages(), trainSeen);
        assertTrue(partialOnly > 0, "one training image in " + LidExport.PARTIAL_EVERY + " is listed only as partial");
        assertEquals(s.trainWithoutTags(), partialOnly + hidden);
        // one verified negative per training image that lacks a class
        long negatives = 0;
        for (int k = 1; k <= classes.size(); k++) {
            negatives += Files.readAllLines(root.resolve("ImageSets/DET/train_" + k + ".txt")).stream()
                    .filter(l -> l.endsWith(" -1")).count();
        }
        assertEquals(lacking, negatives);
        assertTrue(negatives > 0);
    }
}
