package org.wsss.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.wsss.data.Box;
import org.wsss.data.ClassList;
import org.wsss.data.Point;
import org.wsss.data.Sample;

import java.util.ArrayList;
import java.util.List;

/**
 * The ingest manifest, {@code <run-dir>/ingest/manifest} (Parquet, one row per image, image_id the key):
 * <pre>
 * image_id     string   not null  dataset image id (VOC/LID id, or syn_NNNNNN)
 * split        string   not null  train | val
 * width        int      not null  image width in pixels
 * height       int      not null  image height in pixels
 * labels       array&lt;int&gt;      image-level labels: sorted class indices 1..C (0 = background is implicit)
 * label_names  array&lt;string&gt;   the same labels by name
 * points       array&lt;struct&lt;x:int, y:int, class_index:int&gt;&gt;  point annotations (pixel coordinates)
 * image_format string   not null  jpeg | png
 * image        binary   not null  the encoded image bytes as read from the dataset (re-encoded only when
 *                                 ingest.max-long-side downscaled the image)
 * mask         binary   nullable  ground truth as an 8-bit PNG (palette or grey): 0 bg, 1..C, 255 ignore
 * source       string   not null  where the image was read from
 * boxes        array&lt;struct&lt;x0:int, y0:int, x1:int, y1:int, class_index:int&gt;&gt;  object boxes, half-open pixel
 *                                 bounds (dataset.boxes or the VOC XML)
 * scribble     binary   nullable  scribbles as an 8-bit PNG: class index on a scribble, 255 elsewhere
 * instances    binary   nullable  instance ground truth as an 8-bit PNG (VOC SegmentationObject): each instance's
 *                                 number, 0 background, 255 ignore (absent in manifests of older runs)
 * </pre>
 * and the quarantine table {@code <run-dir>/ingest/quarantine}: image_id, source, reason (all strings).
 */
public final class ManifestSchema {
    private ManifestSchema() {
    }

    public static final StructType POINT = new StructType(new StructField[]{
            DataTypes.createStructField("x", DataTypes.IntegerType, false),
            DataTypes.createStructField("y", DataTypes.IntegerType, false),
            DataTypes.createStructField("class_index", DataTypes.IntegerType, false)});

    public static final StructType BOX = new StructType(new StructField[]{
            DataTypes.createStructField("x0", DataTypes.IntegerType, false),
            DataTypes.createStructField("y0", DataTypes.IntegerType, false),
            DataTypes.createStructField("x1", DataTypes.IntegerType, false),
            DataTypes.createStructField("y1", DataTypes.IntegerType, false),
            DataTypes.createStructField("class_index", DataTypes.IntegerType, false)});

    public static final StructType MANIFEST = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("labels", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField("label_names", DataTypes.createArrayType(DataTypes.StringType, false), false),
            DataTypes.createStructField("points", DataTypes.createArrayType(POINT, false), false),
            DataTypes.createStructField("image_format", DataTypes.StringType, false),
            DataTypes.createStructField("image", DataTypes.BinaryType, false),
            DataTypes.createStructField("mask", DataTypes.BinaryType, true),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("boxes", DataTypes.createArrayType(BOX, false), false),
            DataTypes.createStructField("scribble", DataTypes.BinaryType, true),
            DataTypes.createStructField("instances", DataTypes.BinaryType, true)});

    public static final StructType QUARANTINE = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("source", DataTypes.StringType, true),
            DataTypes.createStructField("reason", DataTypes.StringType, false)});

    public static Row toRow(Sample s, ClassList classes) {
        List<Integer> labels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int l : s.labels()) {
            labels.add(l);
            names.add(classes.name(l));
        }
        List<Row> points = new ArrayList<>();
        if (s.points() != null) {
            for (Point p : s.points()) {
                points.add(RowFactory.create(p.x(), p.y(), p.classIndex()));
            }
        }
        List<Row> boxes = new ArrayList<>();
        for (Box b : s.boxes()) {
            boxes.add(RowFactory.create(b.x0(), b.y0(), b.x1(), b.y1(), b.classIndex()));
        }
        return RowFactory.create(s.imageId(), s.split(), s.width(), s.height(), seq(labels), seq(names),
                seq(points), s.imageFormat(), s.imageBytes(), s.maskPng(), s.source(), seq(boxes), s.scribblePng(),
                s.instancePng());
    }

    /** Array columns of a Row must be Scala sequences for Spark's row encoder. */
    public static <T> scala.collection.Seq<T> seq(List<T> list) {
        return scala.collection.JavaConverters.asScalaBuffer(list).toList();
    }

    /** Reads a manifest row back into a Sample (for later stages, on executors). */
    public static Sample fromRow(Row r) {
        List<Integer> labelList = r.getList(r.fieldIndex("labels"));
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        List<Row> pointRows = r.getList(r.fieldIndex("points"));
        List<Point> points = new ArrayList<>(pointRows.size());
        for (Row p : pointRows) {
            points.add(new Point(p.getInt(0), p.getInt(1), p.getInt(2)));
        }
        int maskIdx = r.fieldIndex("mask");
        // manifests written before boxes and scribbles were read have neither column
        boolean annotated = r.schema().getFieldIndex("boxes").isDefined();
        int scribbleIdx = annotated ? r.fieldIndex("scribble") : -1;
        int instanceIdx = r.schema().getFieldIndex("instances").isDefined() ? r.fieldIndex("instances") : -1;
        return new Sample(r.getString(r.fieldIndex("image_id")), r.getString(r.fieldIndex("split")),
                r.getInt(r.fieldIndex("width")), r.getInt(r.fieldIndex("height")), labels, points,
                r.getString(r.fieldIndex("image_format")), (byte[]) r.get(r.fieldIndex("image")),
                r.isNullAt(maskIdx) ? null : (byte[]) r.get(maskIdx), r.getString(r.fieldIndex("source")), new int[0],
                annotated ? boxes(r.getList(r.fieldIndex("boxes"))) : List.of(),
                annotated && !r.isNullAt(scribbleIdx) ? (byte[]) r.get(scribbleIdx) : null,
                instanceIdx >= 0 && !r.isNullAt(instanceIdx) ? (byte[]) r.get(instanceIdx) : null);
    }

    /** The boxes column's rows as boxes. */
    public static List<Box> boxes(List<Row> rows) {
        List<Box> out = new ArrayList<>(rows.size());
        for (Row b : rows) {
            out.add(new Box(b.getInt(0), b.getInt(1), b.getInt(2), b.getInt(3), b.getInt(4)));
        }
        return out;
    }
}
