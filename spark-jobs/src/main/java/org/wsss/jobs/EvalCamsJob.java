package org.wsss.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.wsss.cam.CamLabels;
import org.wsss.cam.FloatBytes;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ClassList;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.metrics.ConfusionMatrix;
import org.wsss.metrics.SegmentationMetrics;
import org.wsss.nn.ImageTensors;
import org.wsss.spark.SegmentationEval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * {@code wsss eval-cams}: CAMs upsampled to the image, labelled with a constant background score; the score is
 * swept and the best mIoU reported, over every image with a ground-truth mask in the evaluated splits. The sweep
 * picks its score on the very ground truth it reports, so the result is an oracle (an upper bound of the CAMs with
 * a constant background), labelled so in metrics.json; no stage reads the threshold it finds.
 */
public final class EvalCamsJob implements Stage {
    public static final String NAME = "eval-cams";
    static final String DESCRIPTION = "Evaluates the CAMs against the ground truth: sweeps a constant background score and writes the best mIoU "
            + "(an oracle: the score is chosen on the same ground truth) to <run-dir>/eval-cams/metrics.json.";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<String> configPrefixes() {
        return List.of("cam.eval-thresholds", "cam.eval-splits");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, MakeCamsJob.NAME);
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        ClassList classes = IngestJob.classes(ctx);
        int numLabels = classes.size() + 1;
        float[] thresholds = new float[s.get(Params.Cam.EVAL_THRESHOLDS).size()];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = s.get(Params.Cam.EVAL_THRESHOLDS).get(i).floatValue();
        }
        List<String> splits = s.get(Params.Cam.EVAL_SPLITS);
        Dataset<Row> masks = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .filter(col("mask").isNotNull()).filter(col("split").isin(splits.toArray()))
                .select("image_id", "mask");
        Dataset<Row> cams = ctx.spark().read().parquet(ctx.stagePath(MakeCamsJob.NAME, "cams"))
                .select("image_id", "classes", "grid_height", "grid_width", "cams");
        // every image with ground truth counts: one without CAMs (make-cams quarantined it) is all wrong
        Dataset<Row> joined = masks.join(cams, masks.col("image_id").equalTo(cams.col("image_id")), "left")
                .select(masks.col("image_id"), col("mask"), col("classes"), col("grid_height"), col("grid_width"),
                        col("cams"));
        Sweep counted = joined.javaRDD().mapPartitions(it -> {
            Sweep sw = new Sweep(thresholds.length, numLabels);
            while (it.hasNext()) {
                Row r = it.next();
                LabelMask gt = ImageCodec.decodeMask((byte[]) r.get(1), r.getString(0));
                sw.images++;
                if (r.isNullAt(5)) {
                    sw.missing++;
                    for (ConfusionMatrix cm : sw.matrices) {
                        cm.addUnpredicted(gt.labels());
                    }
                    continue;
                }
                List<Integer> cl = r.getList(2);
                int[] cls = cl.stream().mapToInt(Integer::intValue).toArray();
                int gh = r.getInt(3), gw = r.getInt(4);
                float[] up = ImageTensors.resizeMaps(FloatBytes.decode((byte[]) r.get(5)), cls.length, gh, gw,
                        gt.height(), gt.width());
                for (int t = 0; t < thresholds.length; t++) {
                    sw.matrices[t].add(CamLabels.withConstantBackground(up, cls.length, gt.height(), gt.width(), cls,
                            thresholds[t]), gt.labels());
                }
            }
            return List.of(sw).iterator();
        }).reduce(Sweep::merge);
        ConfusionMatrix[] sweep = counted.matrices;
        long numImages = counted.images;
        long missing = counted.missing;
        int best = 0;
        Map<String, Object> perThreshold = new LinkedHashMap<>();
        SegmentationMetrics[] m = new SegmentationMetrics[thresholds.length];
        for (int t = 0; t < thresholds.length; t++) {
            m[t] = SegmentationMetrics.of(sweep[t], classes.namesWithBackground(), numImages);
            perThreshold.put(String.valueOf(thresholds[t]), m[t].miou());
            if (m[t].miou() > m[best].miou() || Double.isNaN(m[best].miou())) {
                best = t;
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(SegmentationEval.NUM_MISSING, missing);
        extra.put("miou_is_oracle", true);
        extra.put("note", "miou is the best of the background-score sweep, chosen on the ground truth it is scored "
                + "against: an upper bound for CAMs with a constant background, not a held-out score; no stage "
                + "uses oracle_background_threshold");
        extra.put("oracle_background_threshold", (double) thresholds[best]);
        extra.put("miou_by_threshold", perThreshold);
        extra.put("splits", splits);
        extra.put(SegmentationEval.NUM_WITHOUT_MASK, SegmentationEval.imagesWithoutMask(ctx.spark(),
                ctx.stagePath(IngestJob.NAME, "manifest"), splits));
        return SegmentationEval.metricsWithMatrix(m[best], sweep[best], extra);
    }

    /** One confusion matrix per background score, with the images counted and those without CAMs. */
    static final class Sweep implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final ConfusionMatrix[] matrices;
        long images;
        long missing;

        Sweep(int thresholds, int numLabels) {
            matrices = new ConfusionMatrix[thresholds];
            for (int t = 0; t < thresholds; t++) {
                matrices[t] = new ConfusionMatrix(numLabels);
            }
        }

        Sweep merge(Sweep other) {
            for (int t = 0; t < matrices.length; t++) {
                matrices[t].merge(other.matrices[t]);
            }
            images += other.images;
            missing += other.missing;
            return this;
        }
    }
}
