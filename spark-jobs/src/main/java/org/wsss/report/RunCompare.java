package org.wsss.report;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.wsss.config.Settings;
import org.wsss.jobs.JobContext;
import org.wsss.jobs.StageMarker;
import org.wsss.jobs.Stages;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code wsss report --compare DIR_A DIR_B ...}: one static page putting runs side by side, stage by stage: a table
 * of each stage's scalar metrics per run with each run's difference to the first, and the stage's charts with one
 * series per run. A run without a committed stage shows a dash there. Reads only commit markers and metrics.json.
 */
public final class RunCompare {
    /** Folder under the first run directory that the page goes to when no --out is given. */
    public static final String DEFAULT_DIR = "report-compare";

    /** What was written: the page, the runs' labels in order, and how many stages some run has committed. */
    public record Summary(Path index, List<String> labels, int stagesCommitted) {
    }

    /** One run's state for one stage: its marker (null: not run) and metrics (null: none). */
    record StageRun(StageMarker marker, Map<String, Object> metrics) {
    }

    private RunCompare() {
    }

    /** Writes {@code <outDir>/index.html}; {@code outDir} null means the first run's report-compare/. */
    public static Summary write(Settings settings, List<String> runDirs, String outDir) throws Exception {
        if (runDirs.size() < 2) {
            throw new IllegalArgumentException("--compare needs at least two run directories, got " + runDirs);
        }
        List<String> labels = labels(runDirs);
        // stage -> one entry per run, in the runs' order
        Map<String, List<StageRun>> byStage = new LinkedHashMap<>();
        Stages.names().forEach(s -> byStage.put(s, new ArrayList<>()));
        Path out = null;
        FileSystem outFs = null;
        for (String dir : runDirs) {
            try (JobContext ctx = new JobContext(settings, dir)) {
                if (!ctx.fs().exists(ctx.runDir())) {
                    throw new IllegalArgumentException("--compare " + dir + ": no such directory");
                }
                for (String stage : Stages.names()) {
                    StageMarker marker = ctx.marker(stage);
                    byStage.get(stage).add(new StageRun(marker,
                            marker == null ? null : RunReport.readMetrics(ctx, stage)));
                }
                if (out == null) {
                    out = outDir == null ? new Path(ctx.runDir(), DEFAULT_DIR) : new Path(outDir);
                    FileSystem fs = out.getFileSystem(ctx.hadoopConf());
                    outFs = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
                }
            }
        }
        StringBuilder sections = new StringBuilder();
        StringBuilder nav = new StringBuilder();
        int committed = 0;
        for (Map.Entry<String, List<StageRun>> e : byStage.entrySet()) {
            if (e.getValue().stream().allMatch(r -> r.marker() == null)) {
                continue;
            }
            committed++;
            nav.append(nav.length() == 0 ? "" : " \u00b7 ").append("<a href=\"#stage-").append(Html.esc(e.getKey()))
                    .append("\">").append(Html.esc(e.getKey())).append("</a>");
            sections.append(stageSection(e.getKey(), labels, e.getValue()));
        }
        List<String> none = byStage.entrySet().stream()
                .filter(e -> e.getValue().stream().allMatch(r -> r.marker() == null)).map(Map.Entry::getKey).toList();
        String html = page(runDirs, labels, nav.toString(), sections.toString(), none);
        outFs.mkdirs(out);
        Path index = new Path(out, ReportFiles.INDEX);
        try (FSDataOutputStream o = outFs.create(index, true)) {
            o.write(html.getBytes(StandardCharsets.UTF_8));
        }
        return new Summary(index, labels, committed);
    }

    /** Each run's folder name; the whole path where two runs share a folder name. */
    static List<String> labels(List<String> runDirs) {
        List<String> names = new ArrayList<>();
        for (String d : runDirs) {
            names.add(new Path(d).getName().isEmpty() ? d : new Path(d).getName());
        }
        Set<String> seen = new HashSet<>(), repeated = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                repeated.add(n);
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(repeated.contains(names.get(i)) ? runDirs.get(i) : names.get(i));
        }
        return out;
    }

    /** One stage: a row per scalar metric, a value column per run and a difference column per run after the first. */
    static String stageSection(String stage, List<String> labels, List<StageRun> runs) {
        StringBuilder h = new StringBuilder();
        h.append("<section class=\"compare-stage\" id=\"stage-").append(Html.esc(stage)).append("\" data-stage=\"")
                .append(Html.esc(stage)).append("\">\n<h3>").append(Html.esc(stage)).append("</h3>\n");
        h.append("<table class=\"compare\" data-stage=\"").append(Html.esc(stage)).append("\">\n<tr><th>metric</th>");
        for (int r = 0; r < labels.size(); r++) {
            h.append("<th data-run=\"").append(r).append("\">").append(Html.esc(labels.get(r))).append("</th>");
            if (r > 0) {
                h.append("<th class=\"diff\" data-run=\"").append(r).append("\">\u0394 ").append(Html.esc(labels.get(r)))
                        .append(" \u2212 ").append(Html.esc(labels.get(0))).append("</th>");
            }
        }
        h.append("</tr>\n<tr data-key=\"status\"><td>status</td>");
        for (int r = 0; r < runs.size(); r++) {
            h.append("<td data-run=\"").append(r).append("\">")
                    .append(runs.get(r).marker() == null ? "not run" : "committed").append("</td>");
            if (r > 0) {
                h.append("<td class=\"diff\"></td>");
            }
        }
        h.append("</tr>\n");
        List<Object> seconds = new ArrayList<>();
        runs.forEach(run -> seconds.add(run.marker() == null ? null : run.marker().seconds()));
        row(h, "seconds", seconds, runs);
        for (String key : scalarKeys(runs)) {
            List<Object> values = new ArrayList<>();
            runs.forEach(run -> values.add(run.metrics() == null ? null : run.metrics().get(key)));
            row(h, key, values, runs);
        }
        h.append("</table>\n");
        Map<String, Map<String, Object>> curves = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            if (runs.get(r).metrics() != null) {
                curves.put(labels.get(r), runs.get(r).metrics());
            }
        }
        h.append(StageCharts.block(StageCharts.overlaid(curves)));
        return h.append("</section>\n").toString();
    }

    private static void row(StringBuilder h, String key, List<Object> values, List<StageRun> runs) {
        h.append("<tr data-key=\"").append(Html.esc(key)).append("\"><td>").append(Html.esc(key)).append("</td>");
        for (int r = 0; r < values.size(); r++) {
            boolean absent = runs.get(r).marker() == null
                    || (!key.equals("seconds") && (runs.get(r).metrics() == null
                    || !runs.get(r).metrics().containsKey(key)));
            h.append("<td class=\"num\" data-run=\"").append(r).append("\">")
                    .append(absent ? Html.MISSING : Html.esc(Html.number(values.get(r)))).append("</td>");
            if (r > 0) {
                String d = absent ? null : difference(values.get(0), values.get(r));
                h.append("<td class=\"num diff\" data-run=\"").append(r).append("\">")
                        .append(d == null ? Html.MISSING : Html.esc(d)).append("</td>");
            }
        }
        h.append("</tr>\n");
    }

    /** Top-level scalar keys of any run's metrics, first-seen order. */
    private static List<String> scalarKeys(List<StageRun> runs) {
        Set<String> keys = new LinkedHashSet<>();
        for (StageRun run : runs) {
            if (run.metrics() != null) {
                run.metrics().forEach((k, v) -> {
                    if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
                        keys.add(k);
                    }
                });
            }
        }
        return new ArrayList<>(keys);
    }

    /**
     * {@code value - reference} signed, as shown: whole numbers when both are integers, else 4 decimals; null where
     * either is not a finite number (missing, NaN written as null, a string).
     */
    static String difference(Object reference, Object value) {
        if (!(reference instanceof Number a) || !(value instanceof Number b)
                || !Double.isFinite(a.doubleValue()) || !Double.isFinite(b.doubleValue())) {
            return null;
        }
        if (isIntegral(a) && isIntegral(b)) {
            return String.format(Locale.ROOT, "%+d", b.longValue() - a.longValue());
        }
        return String.format(Locale.ROOT, "%+.4f", b.doubleValue() - a.doubleValue());
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short;
    }

    private static String page(List<String> runDirs, List<String> labels, String nav, String sections,
                               List<String> notRun) {
        StringBuilder runs = new StringBuilder("<ol class=\"runs\">\n");
        for (int r = 0; r < runDirs.size(); r++) {
            runs.append("<li data-run=\"").append(r).append("\"><b>").append(Html.esc(labels.get(r)))
                    .append("</b> <code>").append(Html.esc(runDirs.get(r))).append("</code>")
                    .append(r == 0 ? " (the reference: differences are each run minus this one)" : "").append("</li>\n");
        }
        runs.append("</ol>\n");
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>wsss comparison: "
                + Html.esc(String.join(" vs ", labels)) + "</title>\n<style>\n" + Html.CSS + "</style>\n</head>\n"
                + "<body>\n<h1>wsss run comparison</h1>\n" + runs + "<p>Generated "
                + Html.esc(Instant.now().truncatedTo(ChronoUnit.SECONDS)) + ". A dash: the run has not committed that "
                + "stage or has no such metric.</p>\n<nav>" + nav + "</nav>\n" + sections
                + (notRun.isEmpty() ? "" : "<p class=\"note\">Not run in any of these runs: "
                + Html.esc(String.join(", ", notRun)) + ".</p>\n") + "</body>\n</html>\n";
    }
}
