package org.wsss.cli;

import org.wsss.jobs.JobContext;
import org.wsss.jobs.PngExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `wsss export-png`: label PNGs out of a committed label table, for the images a user asks for. */
@Command(name = "export-png", mixinStandardHelpOptions = true,
        description = {"Writes the label PNGs (8-bit VOC palette, value = label) of random-walk's pseudo-labels or "
                + "predict's predictions, read from the stage's committed Parquet table, as OUT/<id>.png (ids with "
                + "'/' or other unsafe characters are encoded, as the stages name their files). For the images "
                + "named by --ids / --ids-file, the first --limit by image id, or all. At dataset scale the stages "
                + "keep label maps in Parquet only (walk.write-png / predict.write-png = false in "
                + "conf/cluster.conf); this exports the ones wanted. Runs on Spark executors."})
final class ExportPngCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Run directory (local path or Hadoop URI).")
    String runDir;

    @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "predict",
            description = "random-walk or predict (default: ${DEFAULT-VALUE}).")
    String stage;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the PNGs to.")
    String out;

    @Option(names = "--ids", split = ",", paramLabel = "ID", description = "Image ids, comma-separated.")
    List<String> ids;

    @Option(names = "--ids-file", paramLabel = "FILE", description = "A local file with one image id per line.")
    Path idsFile;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Without ids: only the first N images by id (default: all).")
    int limit;

    @Override
    public Integer call() throws Exception {
        List<String> wanted = null;
        if (ids != null || idsFile != null) {
            wanted = new ArrayList<>(ids == null ? List.of() : ids);
            if (idsFile != null) {
                if (!Files.isRegularFile(idsFile)) {
                    throw new IllegalArgumentException("--ids-file " + idsFile + ": not a readable file");
                }
                for (String line : Files.readAllLines(idsFile, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        wanted.add(line.strip());
                    }
                }
            }
        }
        RunDirCheck.requireUsable(runDir);
        try (JobContext ctx = new JobContext(options.settings(), runDir)) {
            PngExport.Result r = PngExport.run(ctx, stage, wanted, limit, out);
            System.out.println("export-png: " + r.written() + " PNGs of " + stage + " under " + r.out()
                    + (r.missing().isEmpty() ? "" : "; not in the table: " + String.join(", ",
                    r.missing().subList(0, Math.min(10, r.missing().size())))
                    + (r.missing().size() > 10 ? " and " + (r.missing().size() - 10) + " more" : "")));
            return r.missing().isEmpty() ? 0 : 1;
        }
    }
}
