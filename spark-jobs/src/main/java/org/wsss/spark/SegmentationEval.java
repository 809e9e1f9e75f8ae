package org.wsss.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.metrics.ConfusionMatrix;
import org.wsss.metrics.MetricsJson;
import org.wsss.metrics.SegmentationMetrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * Scores a table of predicted label PNGs (columns image_id, mask) against the manifest's ground truth:
 * one confusion matrix per partition on executors, merged on the driver. Every image with ground truth counts:
 * one without a prediction (quarantined or skipped upstream) has all its pixels wrong, not dropped, so a stage
 * cannot raise its score by failing on hard images.
 */
public final class SegmentationEval {
    /** metrics.json key of the pixel counts, rows = ground truth, columns = prediction, background first. */
    public static final String CONFUSION_MATRIX = "confusion_matrix";
    /** metrics.json key of the per-ground-truth-label pixel counts predicted outside the labels (255). */
    public static final String CONFUSION_UNASSIGNED = "confusion_unassigned";

    private SegmentationEval() {
    }

    /** metrics.json key of the images with ground truth but no prediction, each scored as all wrong. */
    public static final String NUM_MISSING = "num_missing_predictions";

    /**
     * metrics.json key of the images of the evaluated splits that have no ground-truth mask: they cannot be scored,
     * so {@code num_images} is smaller than the split by this many.
     */
    public static final String NUM_WITHOUT_MASK = "num_images_without_mask";

    /**
     * The scores over all splits, the confusion matrix they were computed from, the scores of each split, how
     * many images with ground truth had no prediction (counted in the scores as all wrong), and how many images of
     * the splits had no ground truth (not scored).
     */
    public record Scored(SegmentationMetrics metrics, ConfusionMatrix matrix, Map<String, SegmentationMetrics> bySplit,
                         long missingPredictions, long imagesWithoutMask) {
        /** metrics.json entries: the segmentation scores, then {@code extra}, then the confusion matrix. */
        public Map<String, Object> toMetrics(Map<String, Object> extra) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put(NUM_MISSING, missingPredictions);
            all.put(NUM_WITHOUT_MASK, imagesWithoutMask);
            all.putAll(extra);
            return metricsWithMatrix(metrics, matrix, all);
        }
    }

    public static SegmentationMetrics evaluate(SparkSession spark, String manifestPath, String predictionsPath,
                                               List<String> splits, List<String> labelNames) {
        return score(spark, manifestPath, predictionsPath, splits, labelNames).metrics();
    }

    /** One pass over the predictions: a confusion matrix per split, summed for the scores over all of them. */
    public static Scored score(SparkSession spark, String manifestPath, String predictionsPath,
                               List<String> splits, List<String> labelNames) {
        int numLabels = labelNames.size();
        Dataset<Row> gt = spark.read().parquet(manifestPath).filter(col("mask").isNotNull())
                .filter(col("split").isin(splits.toArray()))
                .select(col("image_id"), col("split"), col("mask").as("gt"));
        Dataset<Row> predictions = spark.read().parquet(predictionsPath).select(col("image_id"), col("mask").as("pred"));
        Dataset<Row> joined = gt.join(predictions, gt.col("image_id").equalTo(predictions.col("image_id")), "left")
                .select(gt.col("image_id"), col("pred"), col("split"), col("gt"));
        Map<String, SplitCounts> perSplit = joined.javaRDD().mapPartitions(it -> {
            Map<String, SplitCounts> m = new HashMap<>();
            while (it.hasNext()) {
                Row r = it.next();
                LabelMask truth = ImageCodec.decodeMask((byte[]) r.get(3), r.getString(0));
                SplitCounts c = m.computeIfAbsent(r.getString(2), k -> new SplitCounts(new ConfusionMatrix(numLabels)));
                c.images[0]++;
                if (r.isNullAt(1)) {
                    c.matrix().addUnpredicted(truth.labels());
                    c.images[1]++;
                    continue;
                }
                LabelMask pred = ImageCodec.decodeMask((byte[]) r.get(1), r.getString(0));
                if (pred.width() != truth.width() || pred.height() != truth.height()) {
                    throw new IllegalStateException(r.getString(0) + ": prediction " + pred.width() + "x"
                            + pred.height() + " vs ground truth " + truth.width() + "x" + truth.height());
                }
                c.matrix().add(pred.labels(), truth.labels());
            }
            return List.of(m).iterator();
        }).fold(new HashMap<>(), SegmentationEval::sum);
        ConfusionMatrix all = new ConfusionMatrix(numLabels);
        long images = 0;
        long missing = 0;
        Map<String, SegmentationMetrics> bySplit = new LinkedHashMap<>();
        for (String split : splits) {
            SplitCounts c = perSplit.get(split);
            if (c != null) {
                all.merge(c.matrix());
                images += c.images[0];
                missing += c.images[1];
                bySplit.put(split, SegmentationMetrics.of(c.matrix(), labelNames, c.images[0]));
            }
        }
        return new Scored(SegmentationMetrics.of(all, labelNames, images), all, bySplit, missing,
                imagesWithoutMask(spark, manifestPath, splits));
    }

    /** The manifest's images of {@code splits} that have no ground-truth mask, which no evaluation can score. */
    public static long imagesWithoutMask(SparkSession spark, String manifestPath, List<String> splits) {
        return spark.read().parquet(manifestPath).filter(col("mask").isNull())
                .filter(col("split").isin(splits.toArray())).count();
    }

    /** One split's confusion matrix, image count and images without prediction, as Spark tasks accumulate them. */
    private record SplitCounts(ConfusionMatrix matrix, long[] images) implements Serializable {
        SplitCounts(ConfusionMatrix matrix) {
            this(matrix, new long[2]);
        }
    }

    private static Map<String, SplitCounts> sum(Map<String, SplitCounts> a, Map<String, SplitCounts> b) {
        Map<String, SplitCounts> out = new HashMap<>();
        for (Map<String, SplitCounts> part : List.of(a, b)) {
            part.forEach((split, c) -> out.merge(split, c, (x, y) -> new SplitCounts(ConfusionMatrix.sum(x.matrix(),
                    y.matrix()), new long[]{x.images()[0] + y.images()[0], x.images()[1] + y.images()[1]})));
        }
        return out;
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
