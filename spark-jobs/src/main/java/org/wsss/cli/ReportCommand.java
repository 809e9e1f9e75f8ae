package org.wsss.cli;

import org.wsss.jobs.JobContext;
import org.wsss.report.RunCompare;
import org.wsss.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes one static HTML page about a run directory, DIR/report/index.html with its images "
                + "under DIR/report/img/: every stage's metrics (stages not run marked so) and charts (learning "
                + "curves, the CAM threshold sweep, per-class IoU bars), the confusion matrix of "
                + "the latest evaluation (evaluate, else eval-labels, else eval-cams), and for a sample of images "
                + "(val first, by image id) the input, CAMs, pseudo-label, prediction and ground truth. "
                + "Reads only committed stage outputs.",
                "With --compare DIR_A DIR_B [...] it writes one page putting runs side by side instead: per stage, "
                + "the scalar metrics of each run with its difference to the first run, and the learning curves, "
                + "sweeps and per-class IoU bars overlaid (one series per run); default folder DIR_A/report-compare."})
final class ReportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Run directory to report on (local path or Hadoop URI).")
    String runDir;

    @Option(names = "--compare", arity = "2..*", paramLabel = "DIR",
            description = "Run directories to compare, the first one the reference (instead of --run-dir).")
    List<String> compare;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report folder (default: DIR/report; with --compare: DIR_A/report-compare).")
    String out;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "8",
            description = "Images shown side by side (default: ${DEFAULT-VALUE}; 0 for none).")
    int samples;

    @Override
    public Integer call() throws Exception {
        if ((runDir == null) == (compare == null)) {
            throw new IllegalArgumentException("report needs --run-dir DIR or --compare DIR_A DIR_B [...], "
                    + "exactly one of them; got " + (runDir == null ? "neither" : "both"));
        }
        if (compare != null) {
            RunCompare.Summary c = RunCompare.write(options.settings(), compare, out);
            System.out.println("report: " + c.index() + " (" + c.labels().size() + " runs compared: "
                    + String.join(", ", c.labels()) + "; " + c.stagesCommitted() + " stages committed in some run)");
            return 0;
        }
        RunDirCheck.requireUsable(runDir);
        try (JobContext ctx = new JobContext(options.settings(), runDir)) {
            RunReport.Summary s = RunReport.write(ctx, out, samples);
            System.out.println("report: " + s.index() + " (" + s.committed().size() + " stages committed, "
                    + s.notRun().size() + " not run; confusion matrix: "
                    + (s.confusionStage() == null ? "none" : s.confusionStage()) + "; " + s.samples() + " samples)");
        }
        return 0;
    }
}
