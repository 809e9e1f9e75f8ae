package org.wsss.cli;

import org.wsss.config.Settings;
import org.wsss.jobs.JobContext;
import org.wsss.jobs.StageRunner;
import org.wsss.jobs.Stages;
import org.wsss.metrics.MetricsJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `wsss <stage>`: validates the config before any Spark work, then runs the stage. One instance per stage of
 * {@link Stages}, so a new stage gets its command (and --help) by being listed there.
 */
@Command(mixinStandardHelpOptions = true)
final class StageCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR",
            description = "Run directory (local path or Hadoop URI); this stage writes only under DIR/<stage>/.")
    String runDir;

    private final String stage;

    StageCommand(String stage) {
        this.stage = stage;
    }

    static CommandLine commandLine(String stage) {
        CommandLine cl = new CommandLine(new StageCommand(stage));
        cl.getCommandSpec().name(stage);
        cl.getCommandSpec().usageMessage().description(Stages.description(stage));
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        Settings settings = options.settings();
        RunDirCheck.requireUsable(runDir);
        try (JobContext ctx = new JobContext(settings, runDir)) {
            ctx.lockRunDir("wsss " + stage + " --run-dir " + runDir);
            StageRunner.Outcome o = StageRunner.run(Stages.create(stage), ctx);
            // tables (per-class IoU, confusion matrix, epochs) stay in the file: hundreds of lines with 200 classes
            Map<String, Object> scalars = new LinkedHashMap<>();
            o.metrics().forEach((k, v) -> {
                if (v instanceof Number || v instanceof String || v instanceof Boolean) {
                    scalars.put(k, v);
                }
            });
            System.out.println(stage + (o.skipped() ? " (up to date, skipped)" : "") + ": "
                    + MetricsJson.render(scalars));
            System.out.println("all metrics: " + ctx.stagePath(stage, "metrics.json"));
        }
        return 0;
    }
}
