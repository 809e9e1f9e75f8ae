package org.wsss.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.metrics.ConfusionMatrix;
import org.wsss.metrics.MetricsJson;
import org.wsss.metrics.SegmentationMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Scores a table of predicted label PNGs (columns image_id, mask) against the manifest's ground truth:
 * one confusion matrix per partition on executors, merged on the driver.
 */
public final class SegmentationEval {
    /** metrics.json key of the pixel counts, rows = ground truth, columns = prediction, background first. */
    public static final String CONFUSION_MATRIX = "confusion_matrix";
    /** metrics.json key of the per-ground-truth-label pixel counts predicted outside the labels (255). */
    public static final String CONFUSION_UNASSIGNED = "confusion_unassigned";

    private SegmentationEval() {
    }

    /** The scores and the confusion matrix they were computed from. */
    public record Scored(SegmentationMetrics metrics, ConfusionMatrix matrix) {
        /** metrics.json entries: the segmentation scores, then {@code extra}, then the confusion matrix. */
        public Map<String, Object> toMetrics(Map<String, Object> extra) {
            return metricsWithMatrix(metrics, matrix, extra);
        }
    }

    public static SegmentationMetrics evaluate(SparkSession spark, String manifestPath, String predictionsPath,
                                               List<String> splits, List<String> labelNames) {
        return score(spark, manifestPath, predictionsPath, splits, labelNames).metrics();
    }

    public static Scored score(SparkSession spark, String manifestPath, String predictionsPath,
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
        }).fold(new ConfusionMatrix(numLabels), ConfusionMatrix::sum);
        return new Scored(SegmentationMetrics.of(cm, labelNames, images), cm);
    }

    /**
     * metrics.json entries of an evaluation: the segmentation scores, {@code extra}, then the confusion matrix
     * (so `wsss report` can draw it) and the pixels each ground-truth label lost to unassigned predictions.
     */
    public static Map<String, Object> metricsWithMatrix(SegmentationMetrics metrics, ConfusionMatrix matrix,
                                                        Map<String, Object> extra) {
        Map<String, Object> all = new LinkedHashMap<>(extra);
        List<List<Long>> rows = new ArrayList<>();
        List<Long> unassigned = new ArrayList<>();
        long[][] counts = matrix.counts();
        for (int g = 0; g < counts.length; g++) {
            List<Long> row = new ArrayList<>(counts[g].length);
            for (long c : counts[g]) {
                row.add(c);
            }
            rows.add(row);
            unassigned.add(matrix.unassigned(g));
        }
        all.put(CONFUSION_MATRIX, rows);
        all.put(CONFUSION_UNASSIGNED, unassigned);
        return MetricsJson.parse(MetricsJson.render(metrics, all));
    }
}
