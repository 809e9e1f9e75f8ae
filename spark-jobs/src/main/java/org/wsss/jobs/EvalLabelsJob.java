package org.wsss.jobs;

import org.wsss.config.Params;
import org.wsss.metrics.SegmentationMetrics;
import org.wsss.spark.SegmentationEval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wsss eval-labels}: the random walk's pseudo-labels against the ground truth; an image with ground truth and
 * no pseudo-label counts as all wrong ({@code num_missing_predictions}).
 */
public final class EvalLabelsJob implements Stage {
    public static final String NAME = "eval-labels";
    static final String DESCRIPTION = "Evaluates the random walk's pseudo-labels against the ground truth (the splits of cam.eval-splits; an image without pseudo-label counts as all wrong); "
            + "writes <run-dir>/eval-labels/metrics.json.";

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
        return List.of("cam.eval-splits");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, RandomWalkJob.NAME);
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        List<String> splits = ctx.settings().get(Params.Cam.EVAL_SPLITS);
        SegmentationEval.Scored scored = SegmentationEval.score(ctx.spark(),
                ctx.stagePath(IngestJob.NAME, "manifest"), ctx.stagePath(RandomWalkJob.NAME, "labels"), splits,
                IngestJob.classes(ctx).namesWithBackground());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("splits", splits);
        if (splits.size() > 1 && splits.contains("val")) {
            // the images evaluate scores the segmentation net on, so the two can be compared
            SegmentationMetrics val = scored.bySplit().get("val");
            extra.put("val_miou", val == null ? Double.NaN : val.miou());
        }
        return scored.toMetrics(extra);
    }
}
