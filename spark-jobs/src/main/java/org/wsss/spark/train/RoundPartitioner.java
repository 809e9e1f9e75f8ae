package org.wsss.spark.train;

import org.apache.spark.Partitioner;

/**
 * Places example number {@code position} of an epoch (keys are positions) so that round r of parameter
 * averaging owns partitions [r*workers, (r+1)*workers) and each of those holds one worker's consecutive
 * share of {@code batchSize * averagingFrequency} examples: the order of an epoch is decided by the driver,
 * not by Spark's random splits.
 */
final class RoundPartitioner extends Partitioner {
    private final int workers;
    private final long perWorker;
    private final int numPartitions;

    RoundPartitioner(int workers, int batchSize, int averagingFrequency, long totalExamples) {
        this.workers = workers;
        this.perWorker = (long) batchSize * averagingFrequency;
        long perRound = perWorker * workers;
        long rounds = Math.max(1, (totalExamples + perRound - 1) / perRound);
        this.numPartitions = Math.toIntExact(rounds * workers);
    }

    int rounds() {
        return numPartitions / workers;
    }

    @Override
    public int numPartitions() {
        return numPartitions;
    }

    @Override
    public int getPartition(Object key) {
        long position = (Long) key;
        long perRound = perWorker * workers;
        long round = position / perRound;
        long worker = (position % perRound) / perWorker;
        return Math.toIntExact(round * workers + worker);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoundPartitioner p && p.workers == workers && p.perWorker == perWorker
                && p.numPartitions == numPartitions;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(perWorker) * 31 + numPartitions * 7 + workers;
    }
}
