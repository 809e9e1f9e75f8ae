package org.wsss.cli;

import org.wsss.config.Settings;
import org.wsss.jobs.JobContext;
import org.wsss.jobs.StageRunner;
import org.wsss.jobs.Stages;
import org.wsss.metrics.MetricsJson;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** A command that runs one stage: validates the config before any Spark work, then runs the stage. */
abstract class StageCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR",
            description = "Run directory (local path or Hadoop URI); this stage writes only under DIR/<stage>/.")
    String runDir;

    abstract String stageName();

    @Override
    public Integer call() throws Exception {
        Settings settings = options.settings();
        try (JobContext ctx = new JobContext(settings, runDir)) {
            StageRunner.Outcome o = StageRunner.run(Stages.create(stageName()), ctx);
            System.out.println(stageName() + (o.skipped() ? " (up to date, skipped)" : "") + ": "
                    + MetricsJson.render(o.metrics()));
        }
        return 0;
    }
}
