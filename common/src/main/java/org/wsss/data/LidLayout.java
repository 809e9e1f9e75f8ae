package org.wsss.data;

import java.io.Serializable;

/**
 * Where the LID files are, relative to dataset.root (keys dataset.lid.*): ILSVRC DET's training lists and images, and
 * LID track 1's validation and test lists, images and validation ground truth.
 *
 * @param listDir       folder of the per-class training lists train_k.txt
 * @param trainImageDir folder of the training images (id.JPEG; ids may contain sub-folders)
 * @param valList       validation list (one image id per line)
 * @param valImageDir   folder of the validation images (id.JPEG)
 * @param valMaskDir    folder of the validation ground truth (id.png, grey: 0 background, 1..200, 255 ignore)
 * @param testList      test list (one image id per line)
 * @param testImageDir  folder of the test images (id.JPEG)
 */
public record LidLayout(String listDir, String trainImageDir, String valList, String valImageDir,
                        String valMaskDir, String testList, String testImageDir) implements Serializable {

    public static final LidLayout DEFAULT = new LidLayout("ImageSets/DET", "Data/DET/train", "LID_track1/val.txt",
            "LID_track1/val", "LID_track1/val_gt", "LID_track1/test.txt", "LID_track1/test");
}
