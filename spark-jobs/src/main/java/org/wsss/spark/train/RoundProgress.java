package org.wsss.spark.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs training progress at a steady interval: epoch, round, loss, examples/s and the epoch's ETA. */
public final class RoundProgress implements AveragingTrainer.RoundListener {
    private static final Logger LOG = LoggerFactory.getLogger(RoundProgress.class);

    private final String stage;
    private final int epoch;
    private final long examples;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long last = System.nanoTime();

    public RoundProgress(String stage, int epoch, long examples, int intervalSeconds) {
        this.stage = stage;
        this.epoch = epoch;
        this.examples = examples;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
    }

    @Override
    public void roundDone(int round, int rounds, double score) {
        long now = System.nanoTime();
        if (now - last < intervalNanos && round + 1 < rounds) {
            return;
        }
        last = now;
        double secs = (now - start) / 1e9;
        double done = (round + 1) / (double) rounds;
        LOG.info("{}: epoch {} round {}/{} loss {} {} examples/s ETA {} s", stage, epoch, round + 1, rounds,
                String.format("%.4f", score), String.format("%.1f", done * examples / secs),
                String.format("%.0f", secs * (1 - done) / done));
    }
}
