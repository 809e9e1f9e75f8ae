package org.wsss.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.metrics.MetricsJson;
import org.wsss.spark.StageResources;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Runs a stage with the contract every stage shares: inputs must be committed; a stage whose committed
 * output was made from the same config and inputs is skipped; otherwise its folder is cleared, the stage
 * runs, metrics.json is written, and the marker is written last.
 */
public final class StageRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    /** What happened: the stage ran, or was already up to date. */
    public record Outcome(String stage, boolean skipped, Map<String, Object> metrics, StageMarker marker) {
    }

    /** Written when a stage starts: the fingerprint an interrupted run may be resumed with. */
    static final String RUNNING = "_RUNNING";

    private StageRunner() {
    }

    public static Outcome run(Stage stage, JobContext ctx) throws Exception {
        stage.validate(ctx.settings());
        Map<String, String> inputs = new LinkedHashMap<>();
        for (String in : stage.inputs(ctx.settings())) {
            inputs.put(in, ctx.requireComplete(in).fingerprint());
        }
        String fingerprint = fingerprint(stage, ctx, inputs);
        JobContext.Commit commit = ctx.commit(stage.name());
        StageMarker existing = commit.valid();
        Path dir = ctx.stageDir(stage.name());
        if (commit.unreadable() != null) {
            LOG.warn("{}: {}; the stage counts as incomplete and reruns", stage.name(), commit.unreadable());
        } else if (commit.damage() != null) {
            LOG.warn("{}: the committed output under {} no longer holds what the stage wrote ({}); it counts as "
                    + "incomplete and reruns", stage.name(), dir, commit.damage());
        }
        Path metricsPath = new Path(dir, "metrics.json");
        FileSystem fs = ctx.fs();
        if (existing != null && existing.fingerprint().equals(fingerprint)) {
            LOG.info("{}: up to date (same config and inputs as the committed output), skipped", stage.name());
            Map<String, Object> metrics = fs.exists(metricsPath)
                    ? MetricsJson.parse(ctx.readText(metricsPath)) : Map.of();
            return new Outcome(stage.name(), true, metrics, existing);
        }
        Path running = new Path(dir, RUNNING);
        boolean resume = existing == null && stage.resumable() && fs.exists(running)
                && ctx.readText(running).trim().equals(fingerprint);
        if (resume) {
            LOG.info("{}: resuming the interrupted run in {}", stage.name(), dir);
        } else if (fs.exists(dir)) {
            LOG.info("{}: clearing {} ({})", stage.name(), dir,
                    commit.damage() != null ? "committed output damaged"
                            : existing == null ? "incomplete earlier run" : "config or inputs changed");
            fs.delete(dir, true);
        }
        fs.mkdirs(dir);
        ctx.writeText(running, fingerprint);
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        StageResources resources = StageResources.start(ctx.spark().sparkContext());
        Map<String, Object> metrics;
        try (resources) {
            metrics = new LinkedHashMap<>(stage.run(ctx));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        metrics.putIfAbsent("seconds", seconds);
        SortedMap<String, Long> files = StageFiles.list(fs, dir);
        metrics.put("resources", resources(resources.stop(ctx.settings().get(Params.Runtime.LIVE_HEAP)), files));
        ctx.writeText(metricsPath, MetricsJson.render(metrics));
        files.put(metricsPath.getName(), fs.getFileStatus(metricsPath).getLen());
        Map<String, Long> rows = StageFiles.parquetRows(ctx, dir, files);
        StageMarker marker = new StageMarker(stage.name(), fingerprint, inputs, ctx.settings().toHocon(),
                started.toString(), Instant.now().toString(), seconds, files, rows);
        ctx.writeText(new Path(dir, StageMarker.FILE), marker.toJson());
        fs.delete(running, false);
        LOG.info("{}: done in {} s", stage.name(), String.format("%.1f", seconds));
        return new Outcome(stage.name(), false, metrics, marker);
    }

    /** Spark's and the driver's figures, then what the stage left in its folder (metrics.json not counted). */
    private static Map<String, Object> resources(Map<String, Object> spark, SortedMap<String, Long> files) {
        Map<String, Object> m = new LinkedHashMap<>(spark);
        m.put("files_written", files.size());
        m.put("bytes_written", files.values().stream().mapToLong(Long::longValue).sum());
        return m;
    }

    static String fingerprint(Stage stage, JobContext ctx, Map<String, String> inputs) throws Exception {
        StringBuilder sb = new StringBuilder("stage ").append(stage.name()).append('\n');
        sb.append(ctx.settings().render(stage.configPrefixes()));
        inputs.forEach((k, v) -> sb.append("input ").append(k).append(' ').append(v).append('\n'));
        sb.append("external ").append(stage.inputFingerprint(ctx)).append('\n');
        return Settings.sha256(sb.toString());
    }
}
