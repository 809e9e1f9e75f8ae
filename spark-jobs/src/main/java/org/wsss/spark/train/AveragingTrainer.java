package org.wsss.spark.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.wsss.metrics.PhaseClock;
import org.wsss.spark.PhaseAccumulator;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.reflect.ClassTag$;

import java.io.Serializable;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Synchronous parameter averaging (DL4J's ParameterAveragingTrainingMaster) with the epoch's example order
 * fixed by the driver: the epoch is cut into rounds of {@code workers * averagingFrequency} minibatches, each
 * round is one fit on exactly its own partitions, so no random split reorders the data and one worker with
 * averaging frequency 1 reproduces a local fit step for step.
 */
public final class AveragingTrainer implements Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(AveragingTrainer.class);

    /** Turns one worker's share (positions ascending, with their items) into single-example DataSets. */
    public interface ExampleMaker<T> extends Serializable {
        Iterator<DataSet> make(Iterator<Tuple2<Long, T>> positioned) throws Exception;
    }

    /** Turns one worker's share into single-example MultiDataSets (networks with several outputs). */
    public interface MultiExampleMaker<T> extends Serializable {
        Iterator<MultiDataSet> make(Iterator<Tuple2<Long, T>> positioned) throws Exception;
    }

    /** Called on the driver before each averaging round, e.g. to set the round's learning rate. */
    public interface BeforeRound {
        void apply(int round, ComputationGraph net);
    }

    /** Called after each averaging round on the driver (progress, scores). */
    public interface RoundListener extends Serializable {
        void roundDone(int round, int rounds, double score);
    }

    private final int workers;
    private final int batchSize;
    private final int averagingFrequency;
    private transient SparkComputationGraph sparkNet;
    private final PhaseAccumulator phases;

    public AveragingTrainer(JavaSparkContext sc, ComputationGraph net, int workers, int batchSize,
                            int averagingFrequency) {
        this.workers = workers;
        this.batchSize = batchSize;
        this.averagingFrequency = averagingFrequency;
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(workers, 1)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .aggregationDepth(2)
                .repartionData(Repartition.Never)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(StorageLevel.MEMORY_ONLY())
                .collectTrainingStats(false)
                .build();
        this.sparkNet = new SparkComputationGraph(sc, net, tm);
        this.phases = PhaseAccumulator.register(sc.sc(), "training examples");
    }

    /**
     * Task time the workers spent making examples (decoding, augmenting, cropping) in the epochs fitted so far;
     * the rest of the training tasks' time is DL4J's fit (forward, backward, updates) and the averaging.
     */
    public PhaseClock phases() {
        return phases.value();
    }

    /** The maker, timed as the "examples" phase; the makers build their lists eagerly, so this is all their work. */
    private static <T, E> FlatMapFunction<Iterator<Tuple2<Long, T>>, E> timed(
            FlatMapFunction<Iterator<Tuple2<Long, T>>, E> make, PhaseAccumulator phases) {
        return it -> {
            PhaseClock clock = new PhaseClock();
            Iterator<E> out;
            try (PhaseClock.Lap lap = clock.start("examples")) {
                out = make.call(it);
            }
            phases.add(clock);
            return out;
        };
    }

    public ComputationGraph network() {
        return sparkNet.getNetwork();
    }

    /** How many averaging rounds an epoch of {@code examples} examples takes. */
    public long rounds(long examples) {
        return new RoundPartitioner(workers, batchSize, averagingFrequency, examples).rounds();
    }

    /** {@code configured} workers, or for 0 the context's default parallelism (one per executor core). */
    public static int workers(int configured, JavaSparkContext sc) {
        return configured > 0 ? configured : sc.defaultParallelism();
    }

    /**
     * One epoch over {@code items} keyed by their position 0..total-1 in the epoch's order.
     *
     * @return the mean of the rounds' scores (loss)
     */
    public <T> double fitEpoch(JavaPairRDD<Long, T> items, long total, ExampleMaker<T> maker,
                               BeforeRound before, RoundListener listener) {
        RoundPartitioner partitioner = new RoundPartitioner(workers, batchSize, averagingFrequency, total);
        JavaRDD<DataSet> examples = items.repartitionAndSortWithinPartitions(partitioner)
                .mapPartitions(timed((FlatMapFunction<Iterator<Tuple2<Long, T>>, DataSet>) maker::make, phases), true);
        return rounds(examples, DataSet.class, partitioner.rounds(), sparkNet::fit, before, listener);
    }

    /** {@link #fitEpoch} for networks trained on MultiDataSets (several label arrays). */
    public <T> double fitEpochMulti(JavaPairRDD<Long, T> items, long total, MultiExampleMaker<T> maker,
                                    BeforeRound before, RoundListener listener) {
        RoundPartitioner partitioner = new RoundPartitioner(workers, batchSize, averagingFrequency, total);
        JavaRDD<MultiDataSet> examples = items.repartitionAndSortWithinPartitions(partitioner)
                .mapPartitions(timed((FlatMapFunction<Iterator<Tuple2<Long, T>>, MultiDataSet>) maker::make, phases),
                        true);
        return rounds(examples, MultiDataSet.class, partitioner.rounds(), sparkNet::fitMultiDataSet, before,
                listener);
    }

    private <E> double rounds(JavaRDD<E> examples, Class<E> type, int rounds, Consumer<JavaRDD<E>> fit,
                              BeforeRound before, RoundListener listener) {
        double scoreSum = 0;
        for (int r = 0; r < rounds; r++) {
            JavaRDD<E> round = new JavaRDD<>(PartitionPruningRDD.create(examples.rdd(),
                    new PartitionRange(r * workers, (r + 1) * workers)), ClassTag$.MODULE$.apply(type));
            if (before != null) {
                before.apply(r, sparkNet.getNetwork());
            }
            round.persist(StorageLevel.MEMORY_ONLY());
            fit.accept(round);
            round.unpersist(false);
            double score = sparkNet.getScore();
            scoreSum += score;
            if (listener != null) {
                listener.roundDone(r, rounds, score);
            }
        }
        LOG.debug("epoch done: {} rounds of {} workers x {} x {}", rounds, workers, averagingFrequency, batchSize);
        return scoreSum / rounds;
    }
}
