package org.wsss.spark.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.wsss.nn.ClassifierNets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** What the training stages share about an epoch: a seeded shuffle of the images and the poly learning rate. */
public final class EpochOrder {
    private EpochOrder() {
    }

    /** Each image's position 0..n-1 in the epoch's order: a shuffle of the sorted ids, the same for a seed and epoch. */
    public static Map<String, Long> shuffledPositions(List<String> sortedIds, long seed, int epoch) {
        List<String> order = new ArrayList<>(sortedIds);
        Collections.shuffle(order, new Random(seed * 7_919L + epoch));
        Map<String, Long> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), (long) i);
        }
        return position;
    }

    /**
     * Poly decay lr * (1 - round / totalRounds)^power, set before every averaging round of the epoch that starts at
     * {@code firstRound}; null (no change) for power 0.
     */
    public static AveragingTrainer.BeforeRound polyDecay(double baseLr, double power, long firstRound,
                                                         long totalRounds) {
        if (power <= 0) {
            return null;
        }
        return (int round, ComputationGraph net) -> {
            double progress = Math.min(1.0, (firstRound + round) / (double) totalRounds);
            ClassifierNets.setBaseLearningRate(net, baseLr * Math.pow(1 - progress, power));
        };
    }
}
