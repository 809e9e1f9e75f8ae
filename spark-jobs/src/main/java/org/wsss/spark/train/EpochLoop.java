package org.wsss.spark.train;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.jobs.JobContext;
import org.wsss.metrics.MetricsJson;
import org.wsss.nn.InputNorm;
import org.wsss.nn.ModelZip;
import org.wsss.spark.ModelStore;
import org.wsss.spark.ProgressListener;
import org.wsss.metrics.PhaseClock;
import org.wsss.spark.PretrainedWeights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The epoch bookkeeping every training stage shares: a checkpoint with updater state after each epoch and
 * {@code checkpoints/state.json} (epoch, best score, history), the best-scoring model as {@code model.zip}
 * ({@link #last}: the last epoch's), and on restart the network and history of the last checkpoint, so a crashed
 * run continues where it was. The score must come from data the stage does not report on.
 */
public final class EpochLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);
    public static final String MODEL = "model.zip";

    /** One epoch's training; returns its metrics row, which must hold the key used as the score. */
    public interface Epoch {
        Map<String, Object> run(int epoch) throws Exception;
    }

    private final JobContext ctx;
    /** Spark's summed task run and CPU time over {@link #run}'s epochs. */
    private double taskSeconds;
    private double taskCpuSeconds = -1;
    private final Path dir;
    private final Path ckptDir;
    private final String scoreKey;
    private final boolean higherIsBetter;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private int nextEpoch;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private InputNorm inputNorm = InputNorm.TORCHVISION;
    private Map<String, Object> init = new LinkedHashMap<>();

    public EpochLoop(JobContext ctx, String stage, String scoreKey, boolean higherIsBetter) {
        this.ctx = ctx;
        this.dir = ctx.stageDir(stage);
        this.ckptDir = new Path(dir, "checkpoints");
        this.scoreKey = scoreKey;
        this.higherIsBetter = higherIsBetter;
    }

    /** A loop whose model.zip is always the latest epoch's: no score chooses it. */
    public static EpochLoop last(JobContext ctx, String stage) {
        return new EpochLoop(ctx, stage, null, true);
    }

    /** The network to train: the last checkpoint's (with its updater state) if there is one, else a fresh one. */
    public ComputationGraph start(Supplier<ComputationGraph> fresh) throws Exception {
        return startFrom(() -> new PretrainedWeights.Init(fresh.get(), InputNorm.TORCHVISION, Map.of()));
    }

    /**
     * {@link #start} for a network initialised from weights: its input normalisation is recorded in every model
     * saved, and its initialisation metrics ({@link #initMetrics}) survive a resume.
     */
    @SuppressWarnings("unchecked")
    public ComputationGraph startFrom(Supplier<PretrainedWeights.Init> fresh) throws Exception {
        Path state = new Path(ckptDir, "state.json");
        if (!ctx.fs().exists(state)) {
            PretrainedWeights.Init i = fresh.get();
            inputNorm = i.inputNorm();
            init = new LinkedHashMap<>(i.metrics());
            return i.net();
        }
        Map<String, Object> st = MetricsJson.parse(ctx.readText(state));
        int last = ((Number) st.get("epoch")).intValue();
        nextEpoch = last + 1;
        bestEpoch = ((Number) st.get("best_epoch")).intValue();
        best = ((Number) st.get("best_score")).doubleValue();
        history.addAll((List<Map<String, Object>>) st.get("history"));
        if (st.get("init") instanceof Map<?, ?> m) {
            init = new LinkedHashMap<>((Map<String, Object>) m);
        }
        LOG.info("{}: resuming after epoch {} (best {} {} at epoch {})", dir.getName(), last, scoreKey, best, bestEpoch);
        byte[] checkpoint = ModelStore.readBytes(ctx, new Path(ckptDir, checkpointName(last)));
        inputNorm = ModelZip.inputNorm(checkpoint);
        return ModelStore.fromBytes(checkpoint, true);
    }

    public static String checkpointName(int epoch) {
        return String.format("epoch-%03d.zip", epoch);
    }

    /** Runs the remaining epochs, checkpointing each; returns the history (one row per epoch). */
    public List<Map<String, Object>> run(int epochs, Supplier<ComputationGraph> trained, Epoch epoch)
            throws Exception {
        ProgressListener taskTimes = ProgressListener.taskTimes(ctx.spark().sparkContext());
        try (taskTimes) {
            runEpochs(epochs, trained, epoch);
        }
        taskSeconds = taskTimes.taskSeconds();
        taskCpuSeconds = taskTimes.taskCpuSeconds();
        return history;
    }

    /**
     * Where the training tasks' time went in the epochs {@link #run} trained (not those a resumed run skipped):
     * {@code phases} (the workers' example making) against the rest, DL4J's fit and the averaging.
     */
    public Map<String, Object> timeSplit(PhaseClock phases) {
        return phases.split(taskSeconds, taskCpuSeconds);
    }

    private void runEpochs(int epochs, Supplier<ComputationGraph> trained, Epoch epoch) throws Exception {
        for (int e = nextEpoch; e < epochs; e++) {
            long t0 = System.nanoTime();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e);
            row.putAll(epoch.run(e));
            ComputationGraph net = trained.get();
            row.put("seconds", (System.nanoTime() - t0) / 1e9);
            history.add(row);
            ModelStore.save(ctx, new Path(ckptDir, checkpointName(e)), net, true, inputNorm);
            double score = scoreKey == null ? e : ((Number) row.get(scoreKey)).doubleValue();
            boolean better = scoreKey == null || bestEpoch < 0 || Double.isNaN(best)
                    || (!Double.isNaN(score) && (higherIsBetter ? score > best : score < best));
            if (better) {
                best = score;
                bestEpoch = e;
                ModelStore.save(ctx, new Path(dir, MODEL), net, false, inputNorm);
            }
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("epoch", e);
            state.put("best_epoch", bestEpoch);
            state.put("best_score", Double.isNaN(best) ? 0.0 : best);
            state.put("score_key", scoreKey == null ? "last" : scoreKey);
            state.put("history", history);
            state.put("init", init);
            ctx.writeText(new Path(ckptDir, "state.json"), MetricsJson.render(state));
            LOG.info("{}: epoch {} {}", dir.getName(), e, row);
        }
    }

    /** The input normalisation of the network being trained. */
    public InputNorm inputNorm() {
        return inputNorm;
    }

    /** What the network started from: pretrained_file, pretrained_copied, pretrained_skipped, input_norm, ... */
    public Map<String, Object> initMetrics() {
        return init;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public Map<String, Object> bestRow() {
        return history.get(bestEpoch);
    }
}
