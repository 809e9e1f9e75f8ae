package org.wsss.synthetic;

import org.wsss.data.ImageCodec;
import org.wsss.data.LidLayout;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated scenes written in the LID challenge / ImageNet-DET layout that {@link org.wsss.data.LidReader} reads
 * ({@link LidLayout#DEFAULT}): training images under {@code Data/DET/train/<shard>/<id>.JPEG} (ids carry a shard
 * folder of at most 1,000 images, as LID's ids carry their synset folders), per-class lists
 * {@code ImageSets/DET/train_<k>.txt} with {@code id 1} for each class in the image and {@code id -1} for one class
 * that is not (LID's verified negatives; a scene whose objects are all hidden is listed only so, and one training image
 * in {@link #PARTIAL_EVERY} is listed only as partial, 0, for its classes: LID lists images with no positive tag), and LID track 1's val and test splits: the generator's val scenes alternate between
 * {@code LID_track1/val} (with {@code val.txt} and greyscale ground truth {@code LID_track1/val_gt/<id>.png}: 0
 * background, 1..C, 255 boundary band) and {@code LID_track1/test} (with {@code test.txt}, no ground truth). For the
 * scale harness, which needs trees of 100,000+ images shaped like LID, and the LID fixture the tests run end to end.
 */
public final class LidExport {
    /** Images per shard folder of the training ids. */
    public static final int SHARD = 1000;
    /** Every this many training images, one is listed only with 0 (partial) lines, so it has no positive tag. */
    public static final int PARTIAL_EVERY = 20;

    /** What was written: image counts per split; {@code trainWithoutTags} of the training images have no positive. */
    public record Summary(Path root, int trainImages, int valImages, int testImages, int trainWithoutTags) {
    }

    private LidExport() {
    }

    /** The id of training scene {@code index}: its shard folder, then the scene's own id. */
    public static String trainId(int index) {
        return String.format("train_%04d/%s", index / SHARD, SyntheticScenes.imageId(index));
    }

    public static Summary write(SyntheticSpec spec, Path root) throws IOException {
        SyntheticScenes scenes = new SyntheticScenes(spec);
        int classes = scenes.classNames().size();
        LidLayout layout = LidLayout.DEFAULT;
        Path lists = Files.createDirectories(root.resolve(layout.listDir()));
        Path trainImages = Files.createDirectories(root.resolve(layout.trainImageDir()));
        Path valImages = Files.createDirectories(root.resolve(layout.valImageDir()));
        Path valMasks = Files.createDirectories(root.resolve(layout.valMaskDir()));
        Path testImages = Files.createDirectories(root.resolve(layout.testImageDir()));
        List<StringBuilder> perClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            perClass.add(new StringBuilder());
        }
        StringBuilder val = new StringBuilder();
        StringBuilder test = new StringBuilder();
        int train = 0;
        int valCount = 0;
        int testCount = 0;
        int withoutTags = 0;
        for (int i = 0; i < spec.count(); i++) {
            Scene scene = scenes.render(i);
            byte[] jpeg = ImageCodec.encodeJpeg(scene.image(), VocExport.JPEG_QUALITY);
            if (scene.split().equals("val") && (valCount + testCount) % 2 == 1) {
                Files.write(testImages.resolve(scene.imageId() + ".JPEG"), jpeg);
                test.append(scene.imageId()).append('\n');
                testCount++;
                continue;
            }
            if (scene.split().equals("val")) {
                Files.write(valImages.resolve(scene.imageId() + ".JPEG"), jpeg);
                Files.write(valMasks.resolve(scene.imageId() + ".png"), ImageCodec.encodeGreyMask(scene.mask()));
                val.append(scene.imageId()).append('\n');
                valCount++;
                continue;
            }
            String id = trainId(i);
            Path file = trainImages.resolve(id + ".JPEG");
            Files.createDirectories(file.getParent());
            Files.write(file, jpeg);
            if (scene.labels().length == 0) { // every object hidden: listed as a negative, so it is still listed
                perClass.get(0).append(id).append(" -1\n");
                train++;
                withoutTags++;
                continue;
            }
            if (train % PARTIAL_EVERY == PARTIAL_EVERY - 1) { // its classes listed only as partial (0), as LID has some
                for (int c : scene.labels()) {
                    perClass.get(c - 1).append(id).append(" 0\n");
                }
                train++;
                withoutTags++;
                continue;
            }
            boolean[] present = new boolean[classes + 1];
            for (int c : scene.labels()) {
                present[c] = true;
                perClass.get(c - 1).append(id).append(" 1\n");
            }
            // one verified negative: the first class after the image's last one that it does not hold
            for (int step = 1; step <= classes; step++) {
                int c = 1 + (scene.labels()[scene.labels().length - 1] - 1 + step) % classes;
                if (!present[c]) {
                    perClass.get(c - 1).append(id).append(" -1\n");
                    break;
                }
            }
            train++;
        }
        for (int k = 0; k < classes; k++) {
            try (Writer w = Files.newBufferedWriter(lists.resolve("train_" + (k + 1) + ".txt"), StandardCharsets.UTF_8)) {
                w.append(perClass.get(k));
            }
        }
        Files.writeString(root.resolve(layout.valList()), val, StandardCharsets.UTF_8);
        Files.writeString(root.resolve(layout.testList()), test, StandardCharsets.UTF_8);
        return new Summary(root, train, valCount, testCount, withoutTags);
    }
}
