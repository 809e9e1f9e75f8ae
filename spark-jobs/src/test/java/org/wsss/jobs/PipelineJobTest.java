package org.wsss.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineJobTest {

    private static Set<String> needed(String until, String... sets) {
        return PipelineJob.needed(Stages.range(null, until), ConfigLoader.load(List.of(), List.of(sets)));
    }

    @Test
    void pseudoLabelTrainingNeedsEveryStageIncludingTheEvaluations() {
        Set<String> softmax = new java.util.HashSet<>(Stages.names());
        softmax.remove("make-prototypes");
        softmax.remove("make-instances");
        assertEquals(softmax, needed(null), "make-prototypes only for SegSort's retrieval, make-instances for IRNet");
        Set<String> segsort = new java.util.HashSet<>(Stages.names());
        segsort.remove("make-instances");
        assertEquals(segsort, needed(null, "train.method=segsort", "predict.method=knn"));
    }

    @Test
    void irnetAddsItsInstanceMasksAsAnEvaluationOfItsStages() {
        Set<String> irn = new java.util.HashSet<>(Stages.names());
        irn.remove("make-prototypes");
        assertEquals(irn, needed(null, "affinity.method=irn"));
        assertEquals(Set.of("ingest", "train-classifier", "make-cams", "eval-cams", "make-affinity-labels",
                "train-affinity", "make-instances"), needed("make-instances", "affinity.method=irn"),
                "the instance masks read IRNet and the CAMs, not the walk");
    }

    @Test
    void masksFromScratchNeedNeitherCamsNorTheWalkForEitherMethod() {
        assertEquals(Set.of("ingest", "train-segmentation", "predict", "evaluate"),
                needed(null, "train.supervision=masks", "train.init=scratch"));
        assertEquals(Set.of("ingest", "train-segmentation", "make-prototypes", "predict", "evaluate"),
                needed(null, "train.supervision=masks", "train.init=scratch", "train.method=segsort",
                        "predict.method=knn"));
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

    @Test
    void aBadTrainingSettingFailsBeforeTheFirstStageRuns(@TempDir Path dir) throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of("dataset.synthetic.count=8", "train.output-stride=16"));
        try (JobContext ctx = new JobContext(s, dir.toString(), SparkTestSession.get())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PipelineJob.run(ctx, null, null));
            assertTrue(e.getMessage().contains("train.output-stride = 16"), e.getMessage());
        }
        assertTrue(!Files.exists(dir.resolve("ingest")), "ingest must not have run");
    }
}
