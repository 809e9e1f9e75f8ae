package org.wsss.cli;

import org.wsss.jobs.JobContext;
import org.wsss.jobs.PipelineJob;
import org.wsss.jobs.StageRunner;
import org.wsss.jobs.Stages;
import org.wsss.metrics.MetricsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Runs every stage in order, skipping stages whose outputs are complete for the same "
                + "inputs and config, and prints one table of every stage's metrics."})
class PipelineCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Run directory.")
    String runDir;

    @Option(names = "--from", paramLabel = "STAGE", description = "First stage to run (default: the first).")
    String from;

    @Option(names = "--until", paramLabel = "STAGE", description = "Last stage to run (default: the last).")
    String until;

    @Override
    public Integer call() throws Exception {
        return runAndPrint(options, runDir, from, until);
    }

    static int runAndPrint(CommonOptions options, String runDir, String from, String until) throws Exception {
        var settings = options.settings();
        Stages.range(from, until);
        RunDirCheck.requireUsable(runDir);
        List<StageRunner.Outcome> outcomes;
        try (JobContext ctx = new JobContext(settings, runDir)) {
            ctx.lockRunDir("wsss pipeline --run-dir " + runDir);
            outcomes = PipelineJob.run(ctx, from, until);
        }
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (StageRunner.Outcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>(o.metrics());
            m.putIfAbsent("status", o.skipped() ? "skipped" : "ran");
            if (m.get("largest_phase") instanceof String phase && m.get("largest_phase_fraction") instanceof Number f) {
                // where the stage's task time went; the whole split is time_split in its metrics.json
                m.put("most_task_time", String.format("%s %.0f%%", phase.replace(' ', '-'), 100 * f.doubleValue()));
            }
            rows.put(o.stage(), m);
        }
        System.out.println();
        System.out.println("Run directory: " + runDir);
        System.out.println(MetricsTable.render(new LinkedHashMap<>(rows), List.of("status", "num_images",
                "num_quarantined", "images_per_second", "holdout_micro_f1", "train_loss", "val_miou", "miou", "pixel_accuracy",
                "mean_accuracy", "most_task_time", "seconds")));
        for (Map.Entry<String, Map<String, Object>> row : rows.entrySet()) {
            if (row.getValue().get("collapse") instanceof Map<?, ?> c && Boolean.TRUE.equals(c.get("collapsed"))) {
                System.out.println("WARNING " + row.getKey() + ": " + c.get("message"));
            }
            if (row.getValue().get("underfit") instanceof Map<?, ?> u && Boolean.TRUE.equals(u.get("underfit"))) {
                System.out.println("WARNING " + row.getKey() + ": " + u.get("message"));
            }
        }
        return 0;
    }
}
