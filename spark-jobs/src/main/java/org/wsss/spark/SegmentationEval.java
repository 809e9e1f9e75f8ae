package org.wsss.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.metrics.ConfusionMatrix;
import org.wsss.metrics.SegmentationMetrics;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Scores a table of predicted label PNGs (columns image_id, mask) against the manifest's ground truth:
 * one confusion matrix per partition on executors, merged on the driver.
 */
public final class SegmentationEval {
    private SegmentationEval() {
    }

    public static SegmentationMetrics evaluate(SparkSession spark, String manifestPath, String predictionsPath,
                                               List<String> splits, List<String> labelNames) {
        int numLabels = labelNames.size();
        Dataset<Row> gt = spark.read().parquet(manifestPath).filter(col("mask").isNotNull())
                .filter(col("split").isin(splits.toArray())).select(col("image_id"), col("mask").as("gt"));
        Dataset<Row> joined = spark.read().parquet(predictionsPath).select("image_id", "mask").join(gt, "image_id");
        long images = joined.count();
        ConfusionMatrix cm = joined.javaRDD().mapPartitions(it -> {
            ConfusionMatrix m = new ConfusionMatrix(numLabels);
            while (it.hasNext()) {
                Row r = it.next();
                LabelMask pred = ImageCodec.decodeMask((byte[]) r.get(1), r.getString(0));
                LabelMask truth = ImageCodec.decodeMask((byte[]) r.get(2), r.getString(0));
                if (pred.width() != truth.width() || pred.height() != truth.height()) {
                    throw new IllegalStateException(r.getString(0) + ": prediction " + pred.width() + "x"
                            + pred.height() + " vs ground truth " + truth.width() + "x" + truth.height());
                }
                m.add(pred.labels(), truth.labels());
            }
            return List.of(m).iterator();
        }).fold(new ConfusionMatrix(numLabels), (a, b) -> {
            ConfusionMatrix c = new ConfusionMatrix(numLabels);
            c.merge(a);
            c.merge(b);
            return c;
        });
        return SegmentationMetrics.of(cm, labelNames, images);
    }
}
