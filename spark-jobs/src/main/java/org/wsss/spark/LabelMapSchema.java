package org.wsss.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.wsss.data.ImageIds;

/**
 * Label maps at image size, one row per image (image_id the key): random-walk's pseudo-labels
 * ({@code <run-dir>/random-walk/labels}) and predict's predictions ({@code <run-dir>/predict/labels}), both
 * scored by {@link SegmentationEval}.
 * <pre>
 * image_id  string  not null
 * split     string  not null   train | val
 * width     int     not null   image size in pixels
 * height    int     not null
 * mask      binary  not null   8-bit palette PNG (VOC colour map) at image size; pixel value = label:
 *                              0 background, 1..C the classes of ingest/classes.json
 * </pre>
 * Beside the table a stage may write the same PNGs as files named by {@link #pngName}.
 * Python: {@code np.array(PIL.Image.open(io.BytesIO(row.mask)))} gives the (height, width) uint8 labels.
 */
public final class LabelMapSchema {
    private LabelMapSchema() {
    }

    public static final StructType LABELS = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("mask", DataTypes.BinaryType, false)});

    /** File name of an image's label PNG: the id encoded by {@link ImageIds#fileName} (ids may hold '/', '..'). */
    public static String pngName(String imageId) {
        return ImageIds.fileName(imageId) + ".png";
    }
}
