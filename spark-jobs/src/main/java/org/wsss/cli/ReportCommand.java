package org.wsss.cli;

import org.wsss.jobs.JobContext;
import org.wsss.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes one static HTML page about a run directory, DIR/report/index.html with its images "
                + "under DIR/report/img/: every stage's metrics (stages not run marked so), the confusion matrix of "
                + "the latest evaluation (evaluate, else eval-labels, else eval-cams), and for a sample of images "
                + "(val first, by image id) the input, CAMs, pseudo-label, prediction and ground truth. "
                + "Reads only committed stage outputs."})
final class ReportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR",
            description = "Run directory to report on (local path or Hadoop URI).")
    String runDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: DIR/report).")
    String out;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "8",
            description = "Images shown side by side (default: ${DEFAULT-VALUE}; 0 for none).")
    int samples;

    @Override
    public Integer call() throws Exception {
        try (JobContext ctx = new JobContext(options.settings(), runDir)) {
            RunReport.Summary s = RunReport.write(ctx, out, samples);
            System.out.println("report: " + s.index() + " (" + s.committed().size() + " stages committed, "
                    + s.notRun().size() + " not run; confusion matrix: "
                    + (s.confusionStage() == null ? "none" : s.confusionStage()) + "; " + s.samples() + " samples)");
        }
        return 0;
    }
}
