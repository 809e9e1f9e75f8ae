package org.wsss.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Settings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a range of stages in order in one driver, skipping those whose committed outputs are up to date and those the
 * range's last stage does not need under the current config (with points supervision from scratch, say, no CAM or
 * random-walk stage): a stage runs if the last stage reads it, directly or not, or if no stage reads it and
 * everything it reads is needed (the evaluation of a needed stage).
 */
public final class PipelineJob {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineJob.class);

    private PipelineJob() {
    }

    public static List<StageRunner.Outcome> run(JobContext ctx, String from, String until) throws Exception {
        List<String> range = Stages.range(from, until);
        Set<String> needed = needed(range, ctx.settings());
        Map<String, Stage> stages = new LinkedHashMap<>();
        for (String name : range) {
            if (needed.contains(name)) {
                Stage stage = Stages.create(name);
                stage.validate(ctx.settings());
                stages.put(name, stage);
            }
        }
        List<StageRunner.Outcome> outcomes = new ArrayList<>();
        for (String name : range) {
            Stage stage = stages.get(name);
            if (stage == null) {
                LOG.info("pipeline: stage {} not needed with this config, not run", name);
                outcomes.add(new StageRunner.Outcome(name, true, Map.of("status", "not needed"), null));
                continue;
            }
            LOG.info("pipeline: stage {}", name);
            outcomes.add(StageRunner.run(stage, ctx));
        }
        return outcomes;
    }

    static Set<String> needed(List<String> range, Settings settings) {
        List<String> all = Stages.names();
        Set<String> needed = new HashSet<>();
        Set<String> read = new HashSet<>();
        needed.add(range.get(range.size() - 1));
        for (int i = all.size() - 1; i >= 0; i--) {
            Stage stage = Stages.create(all.get(i));
            List<String> inputs = stage.inputs(settings);
            read.addAll(stage.inputs());
            if (needed.contains(all.get(i))) {
                needed.addAll(inputs);
            }
        }
        Set<String> evaluations = new HashSet<>();
        for (String name : all) {
            Stage stage = Stages.create(name);
            if (!read.contains(name) && stage.applies(settings) && needed.containsAll(stage.inputs(settings))) {
                evaluations.add(name);
            }
        }
        needed.addAll(evaluations);
        needed.retainAll(range);
        return needed;
    }
}
