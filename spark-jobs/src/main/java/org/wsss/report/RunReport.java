package org.wsss.report;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.wsss.data.ClassList;
import org.wsss.jobs.EvalCamsJob;
import org.wsss.jobs.EvalLabelsJob;
import org.wsss.jobs.IngestJob;
import org.wsss.jobs.JobContext;
import org.wsss.jobs.StageMarker;
import org.wsss.jobs.Stages;
import org.wsss.metrics.MetricsJson;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wsss report}: one static HTML page about a run directory, with its images beside it under img/: every
 * stage's metrics, the confusion matrix of the latest evaluation, and a sample of images with their CAMs,
 * pseudo-label, prediction and ground truth. It reads only committed stage outputs and writes only under the
 * report folder.
 */
public final class RunReport {
    /** Evaluations whose confusion matrix the page can show, the latest in the pipeline first. */
    public static final List<String> EVALUATIONS = List.of("evaluate", EvalLabelsJob.NAME, EvalCamsJob.NAME);

    /** What was written: the page, the stages by status, the evaluation drawn (null: none) and the samples. */
    public record Summary(Path index, List<String> committed, List<String> notRun, String confusionStage,
                          int samples) {
    }

    private RunReport() {
    }

    /** Writes {@code <outDir>/index.html} and {@code <outDir>/img/}; {@code outDir} null means run-dir/report. */
    public static Summary write(JobContext ctx, String outDir, int samples) throws Exception {
        if (samples < 0) {
            throw new IllegalArgumentException("--samples must be 0 or more, got " + samples);
        }
        if (!ctx.fs().exists(ctx.runDir())) {
            throw new IllegalArgumentException("--run-dir " + ctx.runDir() + ": no such directory");
        }
        Path out = outDir == null ? new Path(ctx.runDir(), "report") : new Path(outDir);
        FileSystem outFs = out.getFileSystem(ctx.hadoopConf());
        ReportFiles files = new ReportFiles(outFs instanceof LocalFileSystem local ? local.getRaw() : outFs, out);

        List<String> committed = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
        StringBuilder stages = new StringBuilder();
        StringBuilder overview = new StringBuilder("<table class=\"overview\">\n<tr><th>stage</th><th>status</th>"
                + "<th>finished</th><th>seconds</th></tr>\n");
        for (String stage : Stages.names()) {
            StageMarker marker = ctx.marker(stage);
            Map<String, Object> m = marker == null ? null : readMetrics(ctx, stage);
            (marker == null ? notRun : committed).add(stage);
            if (m != null) {
                metrics.put(stage, m);
            }
            stages.append(MetricsSection.render(stage, marker, m));
            overview.append("<tr><td><a href=\"#stage-").append(Html.esc(stage)).append("\">")
                    .append(Html.esc(stage)).append("</a></td><td>").append(marker == null ? "not run" : "committed")
                    .append("</td><td>").append(marker == null ? "" : Html.esc(Html.time(marker.finished())))
                    .append("</td><td class=\"num\">")
                    .append(marker == null ? "" : Html.esc(Html.number(marker.seconds()))).append("</td></tr>\n");
        }
        overview.append("</table>\n");

        String confusionStage = null;
        Map<String, Object> confusionMetrics = null;
        for (String eval : EVALUATIONS) {
            Map<String, Object> m = metrics.containsKey(eval) ? metrics.get(eval)
                    : ctx.marker(eval) == null ? null : readMetrics(ctx, eval);
            if (ConfusionSection.hasMatrix(m)) {
                confusionStage = eval;
                confusionMetrics = m;
                break;
            }
        }
        String confusion = confusionStage == null
                ? "<p class=\"note\">No committed evaluation (" + Html.esc(String.join(", ", EVALUATIONS))
                + ") with a confusion matrix in its metrics.json.</p>\n"
                : ConfusionSection.render(confusionStage, confusionMetrics);

        String gallery;
        int shown = 0;
        if (ctx.marker(IngestJob.NAME) == null) {
            gallery = "<p class=\"note\">ingest has not run: no images to show.</p>\n";
        } else if (samples == 0) {
            gallery = "<p class=\"note\">--samples 0: no images shown.</p>\n";
        } else {
            ClassList classes = IngestJob.classes(ctx);
            SampleGallery.Rendered r = new SampleGallery(ctx, files, classes).render(samples);
            gallery = r.html();
            shown = r.samples();
        }

        String html = page(ctx.runDir().toString(), committed.size(), Stages.names().size(), overview.toString(),
                stages.toString(), confusion, gallery);
        Path index = files.index(html);
        return new Summary(index, committed, notRun, confusionStage, shown);
    }

    static Map<String, Object> readMetrics(JobContext ctx, String stage) throws Exception {
        Path p = new Path(ctx.stageDir(stage), "metrics.json");
        if (!ctx.fs().exists(p)) {
            return null;
        }
        try {
            return MetricsJson.parse(ctx.readText(p));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(p + ": " + e.getMessage(), e);
        }
    }

    private static String page(String runDir, int committed, int stages, String overview, String stageSections,
                               String confusion, String gallery) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>wsss report: "
                + Html.esc(runDir) + "</title>\n<style>\n" + Html.CSS + "</style>\n</head>\n<body>\n"
                + "<h1>wsss run report</h1>\n<p>Run directory <code>" + Html.esc(runDir) + "</code>; "
                + committed + " of " + stages + " stages committed; generated "
                + Html.esc(Instant.now().truncatedTo(ChronoUnit.SECONDS)) + ".</p>\n"
                + "<nav><a href=\"#stages\">stages</a> \u00b7 <a href=\"#confusion\">confusion matrix</a> \u00b7 "
                + "<a href=\"#samples\">samples</a></nav>\n"
                + "<h2 id=\"stages\">Stages</h2>\n" + overview + "<div class=\"stages\">\n" + stageSections
                + "</div>\n<h2 id=\"confusion\">Confusion matrix</h2>\n" + confusion
                + "<h2 id=\"samples\">Samples</h2>\n" + gallery + "</body>\n</html>\n";
    }
}
