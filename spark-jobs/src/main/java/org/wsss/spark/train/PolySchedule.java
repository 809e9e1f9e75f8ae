package org.wsss.spark.train;

import org.wsss.nn.ClassifierNets;

import java.util.Arrays;

/**
 * Poly learning-rate decay, {@code base * (1 - t / T)^power}, over all T averaging rounds of a run, t counting
 * rounds from the first epoch's first. Each epoch's rounds are counted from its own length: the classifier's
 * balanced epochs repeat or drop images, and counting every epoch as long as the manifest once pushed t to T in
 * the last epoch of {@code classifier.balance=up}, whose rate 0 the net refuses (the stage failed); downsampled
 * epochs never decayed to the end.
 */
public final class PolySchedule {
    private final double baseLr;
    private final double power;
    private final long[] roundsPerEpoch;
    private final long[] firstRound;
    private final long totalRounds;

    /** {@code roundsPerEpoch[e]}: how many averaging rounds epoch e has (each at least 1). */
    public PolySchedule(double baseLr, double power, long[] roundsPerEpoch) {
        if (roundsPerEpoch.length == 0 || Arrays.stream(roundsPerEpoch).anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("every epoch needs at least one round: "
                    + Arrays.toString(roundsPerEpoch));
        }
        this.baseLr = baseLr;
        this.power = power;
        this.roundsPerEpoch = roundsPerEpoch.clone();
        this.firstRound = new long[roundsPerEpoch.length];
        long t = 0;
        for (int e = 0; e < roundsPerEpoch.length; e++) {
            firstRound[e] = t;
            t += roundsPerEpoch[e];
        }
        this.totalRounds = t;
    }

    /** The schedule of {@code trainer}'s rounds for epochs of {@code examplesPerEpoch[e]} examples each. */
    public static PolySchedule of(AveragingTrainer trainer, long[] examplesPerEpoch, double baseLr, double power) {
        return new PolySchedule(baseLr, power, Arrays.stream(examplesPerEpoch).map(trainer::rounds).toArray());
    }

    /** {@code epochs} epochs of {@code examples} examples each. */
    public static PolySchedule uniform(AveragingTrainer trainer, long examples, int epochs, double baseLr,
                                       double power) {
        long[] perEpoch = new long[epochs];
        Arrays.fill(perEpoch, examples);
        return of(trainer, perEpoch, baseLr, power);
    }

    public long totalRounds() {
        return totalRounds;
    }

    /** The rate of round {@code round} of epoch {@code epoch}. */
    public double rate(int epoch, int round) {
        double progress = Math.min(1.0, (firstRound[epoch] + round) / (double) totalRounds);
        return baseLr * Math.pow(1 - progress, power);
    }

    /** The rate the last round of {@code epoch} trains at (recorded per epoch in the training stages' metrics). */
    public double lastRate(int epoch) {
        return rate(epoch, Math.toIntExact(roundsPerEpoch[epoch] - 1));
    }

    /** Sets each round's rate on the driver's net before the round; null (the configured rate stays) for power 0. */
    public AveragingTrainer.BeforeRound epoch(int epoch) {
        if (power <= 0) {
            return null;
        }
        return (round, net) -> ClassifierNets.setBaseLearningRate(net, rate(epoch, round));
    }
}
