package org.wsss.cli;

import org.wsss.jobs.JobContext;
import org.wsss.jobs.SubmissionExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** `wsss export-submission`: predict's label maps of a split as LID's submission zip. */
@Command(name = "export-submission", mixinStandardHelpOptions = true,
        description = {"Writes predict's label maps of one split (default: test) as the LID challenge's submission "
                + "file: a zip of one 8-bit greyscale PNG per image, <image id>.png, value = class (0 background, "
                + "1..200), at the image's own size. The split must have been ingested (dataset.splits) and "
                + "predicted (predict.splits)."})
final class ExportSubmissionCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Run directory (local path or Hadoop URI).")
    String runDir;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "The split whose predictions are written (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", paramLabel = "ZIP",
            description = "The archive to write (default: <run-dir>/submission/<split>.zip).")
    String out;

    @Override
    public Integer call() throws Exception {
        RunDirCheck.requireUsable(runDir);
        try (JobContext ctx = new JobContext(options.settings(), runDir)) {
            String zip = out == null ? SubmissionExport.defaultZip(ctx, split) : out;
            SubmissionExport.Result r = SubmissionExport.run(ctx, split, zip);
            System.out.println("export-submission: " + r.images() + " PNGs of the " + split + " split in " + r.zip());
            return 0;
        }
    }
}
