package org.wsss.jobs;

import org.wsss.config.Settings;

import java.util.List;
import java.util.Map;

/**
 * One pipeline stage: reads the committed outputs of {@link #inputs()}, writes only under
 * {@code <run-dir>/<name>/}, and returns the metrics that {@link StageRunner} records in its metrics.json.
 */
public interface Stage {

    /** The CLI command and the folder name under the run directory. */
    String name();

    /** One paragraph for `wsss <name> --help`: what the stage reads and writes. */
    String description();

    /** Config key prefixes (e.g. "dataset", "ingest") whose values the output depends on. */
    List<String> configPrefixes();

    /** Stages whose committed outputs this one reads (every stage it may read, for any config). */
    List<String> inputs();

    /** The stages it reads under these settings (a subset of {@link #inputs()}). */
    default List<String> inputs(Settings settings) {
        return inputs();
    }

    /**
     * Whether the stage has anything to do under these settings; a pipeline runs a stage that applies and that
     * nothing reads (an evaluation) once its inputs are there. Run on its own (each stage in turn, as the Airflow
     * DAG does), a stage that does not apply records that and makes nothing.
     */
    default boolean applies(Settings settings) {
        return true;
    }

    /**
     * Checks combinations of settings before anything is read or run, throwing IllegalStateException (or
     * IllegalArgumentException for one bad value) that names the keys; a pipeline checks every stage it will run
     * first, so a bad stage-3 setting fails before stage 1 trains.
     */
    default void validate(Settings settings) {
    }

    /** A digest of external inputs (the dataset files, say) beyond config and upstream stages; "" if none. */
    default String inputFingerprint(JobContext ctx) throws Exception {
        return "";
    }

    /**
     * Whether an interrupted run may continue from what it left (checkpoints) when the config and inputs are
     * unchanged; otherwise an incomplete folder is cleared before the stage runs.
     */
    default boolean resumable() {
        return false;
    }

    /** Does the work; everything it writes goes under {@code ctx.stageDir(name())}. */
    Map<String, Object> run(JobContext ctx) throws Exception;
}
