package org.wsss.data;

import java.io.Serializable;

/**
 * Where the LID / ImageNet-DET files are, relative to dataset.root (keys dataset.lid.*).
 *
 * @param listDir       folder of the per-class lists train_k.txt and of the validation list
 * @param trainImageDir folder of the training images (id.JPEG; ids may contain sub-folders)
 * @param valList       validation list, relative to listDir
 * @param valImageDir   folder of the validation images (id.JPEG)
 * @param valMaskDir    folder of the validation ground truth (id.png)
 */
public record LidLayout(String listDir, String trainImageDir, String valList, String valImageDir,
                        String valMaskDir) implements Serializable {

    public static final LidLayout DEFAULT = new LidLayout("ImageSets/DET", "Data/DET/train", "val.txt",
            "Data/DET/val", "Annotations/DET/val");
}
