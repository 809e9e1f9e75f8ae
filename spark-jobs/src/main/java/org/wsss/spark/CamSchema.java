package org.wsss.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code <run-dir>/make-cams/cams} (Parquet, one row per image, image_id the key):
 * <pre>
 * image_id     string  not null
 * split        string  not null
 * width        int     not null   image size in pixels
 * height       int     not null
 * classes      array&lt;int&gt;        class indices 1..C of the maps, in order (labelled classes, or predicted ones)
 * grid_height  int     not null   map size: the classifier's feature grid at scale 1
 * grid_width   int     not null
 * stride       int     not null   pixels per grid cell
 * cams         binary  not null   float32 little-endian, shape (len(classes), grid_height, grid_width), row-major;
 *                                 each map divided by its own max (values in [0, 1])
 * scores       array&lt;float&gt;      classifier sigmoid score of every class 1..C (index c-1), at scale 1
 * excluded_classes array&lt;int&gt;    the image's tags among classifier.exclude-classes: no map, and later stages
 *                                 cannot tell their pixels from background (absent in tables of older runs)
 * </pre>
 * numpy: {@code np.frombuffer(row.cams, '<f4').reshape(len(row.classes), row.grid_height, row.grid_width)}.
 */
public final class CamSchema {
    public static final String EXCLUDED = "excluded_classes";

    private CamSchema() {
    }

    /** The CAM table with {@link #EXCLUDED}, empty for every image in a table written before the column existed. */
    public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> withExcluded(
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> cams) {
        return java.util.Arrays.asList(cams.columns()).contains(EXCLUDED) ? cams
                : cams.withColumn(EXCLUDED, org.apache.spark.sql.functions.array().cast(
                DataTypes.createArrayType(DataTypes.IntegerType, false)));
    }

    /**
     * Labels of an image with an excluded tag: its background made 255 (ignore), since the excluded class has no map
     * and its pixels would otherwise be taken for background. Labels of other images are returned as they are.
     */
    public static byte[] ignoreBackgroundIfExcluded(byte[] labels, java.util.List<Integer> excluded) {
        if (excluded == null || excluded.isEmpty()) {
            return labels;
        }
        byte[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = (byte) 255;
            }
        }
        return out;
    }

    public static final StructType CAMS = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("classes", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField("grid_height", DataTypes.IntegerType, false),
            DataTypes.createStructField("grid_width", DataTypes.IntegerType, false),
            DataTypes.createStructField("stride", DataTypes.IntegerType, false),
            DataTypes.createStructField("cams", DataTypes.BinaryType, false),
            DataTypes.createStructField("scores", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField(EXCLUDED, DataTypes.createArrayType(DataTypes.IntegerType, false), false)});
}
