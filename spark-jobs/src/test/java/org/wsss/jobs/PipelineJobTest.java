package org.wsss.jobs;

import org.junit.jupiter.api.Test;
import org.wsss.config.ConfigLoader;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PipelineJobTest {

    private static Set<String> needed(String until, String... sets) {
        return PipelineJob.needed(Stages.range(null, until), ConfigLoader.load(List.of(), List.of(sets)));
    }

    @Test
    void pseudoLabelTrainingNeedsEveryStageIncludingTheEvaluations() {
        assertEquals(Set.copyOf(Stages.names()), needed(null));
    }

    @Test
    void pointsFromScratchNeedNeitherCamsNorTheWalk() {
        assertEquals(Set.of("ingest", "train-segmentation", "predict", "evaluate"),
                needed(null, "train.supervision=points", "train.init=scratch"));
        assertEquals(Set.of("ingest", "train-classifier", "train-segmentation", "predict", "evaluate"),
                needed(null, "train.supervision=points"));
    }

    @Test
    void aRangeEndingEarlyNeedsOnlyWhatLeadsToItsEndAndTheirEvaluations() {
        assertEquals(Set.of("ingest", "train-classifier", "make-cams"), needed("make-cams"));
        assertEquals(Set.of("ingest", "train-classifier", "make-cams", "eval-cams", "make-affinity-labels",
                "train-affinity", "random-walk"), needed("random-walk"));
    }
}
