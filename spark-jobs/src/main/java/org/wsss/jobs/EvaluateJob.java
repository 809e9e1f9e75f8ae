package org.wsss.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Params;
import org.wsss.metrics.SegmentationMetrics;
import org.wsss.spark.SegmentationEval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wsss evaluate}: the segmentation network's predictions against the ground truth of the val split; a val
 * image without prediction counts as all wrong ({@code num_missing_predictions}).
 */
public final class EvaluateJob implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
    public static final String NAME = "evaluate";
    static final String DESCRIPTION = "Evaluates predict's label maps against the ground truth masks of the val split (mIoU, pixel and "
            + "mean accuracy, IoU per class; a val image without prediction counts as all wrong); writes <run-dir>/evaluate/metrics.json.";
    /** The split the final scores are reported on (the papers' VOC val numbers). */
    public static final String SPLIT = "val";

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
        return List.of();
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, PredictJob.NAME);
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        SegmentationEval.Scored scored = SegmentationEval.score(ctx.spark(),
                ctx.stagePath(IngestJob.NAME, "manifest"), ctx.stagePath(PredictJob.NAME, "labels"), List.of(SPLIT),
                IngestJob.classes(ctx).namesWithBackground());
        SegmentationMetrics m = scored.metrics();
        if (m.numImages() == scored.missingPredictions()) {
            throw new IllegalStateException("nothing to evaluate: " + ctx.stagePath(PredictJob.NAME, "labels")
                    + " has no prediction of a " + SPLIT + " image with a ground truth mask (predict.splits = "
                    + ctx.settings().get(Params.Predict.SPLITS) + "; does the dataset's " + SPLIT
                    + " split have masks?)");
        }
        if (scored.missingPredictions() > 0) {
            LOG.warn("{}: {} of {} {} images with ground truth have no prediction (quarantined by predict?); they count "
                    + "as all wrong", NAME, scored.missingPredictions(), m.numImages(), SPLIT);
        }
        if (scored.imagesWithoutMask() > 0) {
            LOG.warn("{}: {} {} images have no ground-truth mask and are not scored; the scores cover the {} that do",
                    NAME, scored.imagesWithoutMask(), SPLIT, m.numImages());
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("split", SPLIT);
        extra.put("per_class_accuracy", m.perClassAccuracy());
        return scored.toMetrics(extra);
    }
}
