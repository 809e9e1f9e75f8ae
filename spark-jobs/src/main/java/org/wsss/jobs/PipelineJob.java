package org.wsss.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Runs a range of stages in order in one driver, skipping those whose committed outputs are up to date. */
public final class PipelineJob {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineJob.class);

    private PipelineJob() {
    }

    public static List<StageRunner.Outcome> run(JobContext ctx, String from, String until) throws Exception {
        List<StageRunner.Outcome> outcomes = new ArrayList<>();
        for (String name : Stages.range(from, until)) {
            LOG.info("pipeline: stage {}", name);
            outcomes.add(StageRunner.run(Stages.create(name), ctx));
        }
        return outcomes;
    }
}
