package org.wsss.bench;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.TrainingHyper;
import org.wsss.spark.train.AveragingTrainer;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticScenes;
import org.wsss.synthetic.SyntheticSpec;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one synchronous parameter-averaging round costs beyond the workers' own fitting, per network: the round is
 * timed with one 32x32 example per worker ({@code --workers} workers, batch 1, averaging every minibatch), against a
 * plain local fit of one such example on one worker's threads; the difference is the round's fixed cost (the Spark
 * job, broadcasting the parameters and updater state, collecting and averaging them on the driver). Also prints the
 * parameter and updater-state sizes, and the bytes a round moves: each worker receives parameters + updater state
 * and sends them back, so 2 x workers x (parameters + state) x 4 bytes, what conf/cluster.conf's averaging frequency
 * is chosen from (README, Dataset scale).
 *
 * <p>Options: --networks small,resnet50 --workers 2 --rounds 6 --repeats 2 --threads 2.
 */
public final class AveragingCostBench {
    private AveragingCostBench() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Map.of("networks", "small,resnet50", "workers", "2", "rounds", "6",
                "repeats", "2", "threads", "2"));
        int workers = args.integer("workers");
        int rounds = args.integer("rounds");
        int repeats = args.integer("repeats");
        int threads = args.integer("threads");
        int size = 32;
        int numClasses = SyntheticPreset.SHAPES.classNames().size();
        System.err.println("averaging-cost-bench: " + Backend.describe() + "; load average " + Backend.loadAverage());
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(workers * rounds, size, 11, 0.0, 4));
        List<Tuple2<Long, TrainBench.Example>> keyed = new ArrayList<>();
        for (int i = 0; i < workers * rounds; i++) {
            TrainBench.Example e = TrainBench.exampleOf(scenes.render(i), numClasses);
            keyed.add(new Tuple2<>((long) i, e));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(BenchSpark.start(workers).sparkContext());
        JavaPairRDD<Long, TrainBench.Example> rdd = JavaPairRDD.fromJavaRDD(sc.parallelize(keyed, workers))
                .persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        TrainBench.Maker maker = new TrainBench.Maker(size, numClasses, Math.max(1, threads / workers));
        List<String> rows = new ArrayList<>();
        for (String network : args.get("networks").split(",")) {
            ComputationGraph probe = net(network.trim(), numClasses);
            long params = probe.numParams();
            long state = probe.getUpdater().getStateViewArray() == null ? 0
                    : probe.getUpdater().getStateViewArray().length();
            double bestRound = Double.POSITIVE_INFINITY;
            double bestFit = Double.POSITIVE_INFINITY;
            for (int r = 0; r <= repeats; r++) { // repeat 0 warms up
                Nd4jThreads.set(Math.max(1, threads / workers));
                AveragingTrainer trainer = new AveragingTrainer(sc, net(network.trim(), numClasses), workers, 1, 1);
                long t0 = System.nanoTime();
                trainer.fitEpoch(rdd, (long) workers * rounds, maker, null, null);
                double perRound = (System.nanoTime() - t0) / 1e9 / rounds;
                ComputationGraph local = net(network.trim(), numClasses);
                DataSet one = TrainBench.toDataSet(keyed.get(0)._2(), size, numClasses);
                long t1 = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    local.fit(one);
                }
                double perFit = (System.nanoTime() - t1) / 1e9 / rounds;
                System.err.printf("averaging-cost-bench: %s repeat %d: round %.3f s, local fit of one example %.3f s%n",
                        network, r, perRound, perFit);
                if (r > 0) {
                    bestRound = Math.min(bestRound, perRound);
                    bestFit = Math.min(bestFit, perFit);
                }
            }
            double bytesPerRound = 2.0 * workers * (params + state) * 4;
            rows.add(String.format("| %s | %.2f M | %.2f M | %.3f | %.3f | %.3f | %.0f MB | %s |", network,
                    params / 1e6, state / 1e6, bestRound, bestFit, bestRound - bestFit, bytesPerRound / 1e6,
                    Backend.loadAverage()));
        }
        sc.stop();
        System.out.println();
        System.out.printf("local[%d], %d workers, batch 1, averaging every minibatch, 32x32 inputs, best of %d%n%n",
                workers, workers, repeats);
        System.out.println("| network | parameters | updater state | s per round | s per local fit of one example "
                + "| fixed cost per round s | bytes moved per round | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static ComputationGraph net(String network, int numClasses) {
        return switch (network) {
            case "small" -> ClassifierNets.smallDilated(numClasses, 3);
            case "resnet50", "resnet101" -> ClassifierNets.resnet(network, numClasses, 16, 3,
                    TrainingHyper.resnetDefaults());
            default -> throw new IllegalArgumentException("--networks: small, resnet50 or resnet101, not " + network);
        };
    }
}
