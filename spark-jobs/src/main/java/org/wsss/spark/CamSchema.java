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
 * </pre>
 * numpy: {@code np.frombuffer(row.cams, '<f4').reshape(len(row.classes), row.grid_height, row.grid_width)}.
 */
public final class CamSchema {
    private CamSchema() {
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
            DataTypes.createStructField("scores", DataTypes.createArrayType(DataTypes.FloatType, false), false)});
}
