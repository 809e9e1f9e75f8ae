package org.wsss.bench;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.Convs;
import org.wsss.nn.ImageTensors;
import org.wsss.spark.train.AveragingTrainer;
import org.wsss.synthetic.Scene;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticScenes;
import org.wsss.synthetic.SyntheticSpec;
import scala.Tuple2;

/**
 * Training throughput of the small net with synchronous parameter averaging ({@link AveragingTrainer}) on
 * local[workers] against a plain {@code ComputationGraph.fit} of the same minibatches in the same JVM, with
 * the same total ND4J thread count: the local fit gets all {@code --threads}, each of the workers
 * threads / workers (set in every task, see {@link Nd4jThreads}). Images are rendered and normalised once
 * before timing; the Spark side still pays what the trainer does per epoch (the position shuffle, building
 * DataSets, averaging parameters and updater state). Prints a markdown table and the overhead, defined as
 * averaging time per sample / local time per sample - 1 (best of --repeats each, alternating), in wall time
 * and in process CPU time (steadier on a loaded machine), and for reference a local fit with one worker's
 * share of the threads. All of it runs once per {@code --conv} value (the {@code runtime.conv} switch; the nets are
 * built afresh with the same seed), and the local fit's row names the native ops that took its time, which says
 * which convolution implementation ran ({@code conv2d}/{@code conv2d_bp}: libnd4j's ops; {@code im2col} +
 * {@code mmul}: DL4J's ConvolutionLayer).
 *
 * <p>Options: --images 256 --size 112 --batch 16 --workers 2 --averaging 4 --epochs 1 --repeats 2 --threads 2
 * --conv native,dl4j --label (first column).
 */
public final class TrainBench {
    record Example(float[] x, float[] y) implements Serializable {
    }

    /** Single-example DataSets for the trainer; sets the task thread's ND4J threads first. */
    record Maker(int size, int numClasses, int threads) implements AveragingTrainer.ExampleMaker<Example> {
        @Override
        public Iterator<DataSet> make(Iterator<Tuple2<Long, Example>> positioned) {
            Nd4jThreads.set(threads);
            List<DataSet> out = new ArrayList<>();
            positioned.forEachRemaining(t -> out.add(toDataSet(t._2(), size, numClasses)));
            return out.iterator();
        }
    }

    private TrainBench() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Map.of("images", "256", "size", "112", "batch", "16", "workers", "2",
                "averaging", "4", "epochs", "1", "repeats", "2", "threads", "2", "conv", "native,dl4j", "label", ""));
        int images = args.integer("images");
        int size = args.integer("size");
        int batch = args.integer("batch");
        int workers = args.integer("workers");
        int averaging = args.integer("averaging");
        int epochs = args.integer("epochs");
        int repeats = args.integer("repeats");
        int threads = args.integer("threads");
        if (threads % workers != 0) {
            throw new IllegalArgumentException("--threads " + threads + " must be a multiple of --workers " + workers);
        }
        String label = args.get("label").isEmpty() ? Backend.classifier() : args.get("label");
        System.err.println("train-bench: " + Backend.describe() + "; load average " + Backend.loadAverage());

        int numClasses = SyntheticPreset.SHAPES.classNames().size();
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(images, size, 11, 0.0, 4));
        List<Example> data = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            data.add(example(scenes.render(i), numClasses));
        }
        List<DataSet> minibatches = new ArrayList<>();
        for (int start = 0; start < images; start += batch) {
            List<DataSet> mb = new ArrayList<>();
            for (int i = start; i < Math.min(start + batch, images); i++) {
                mb.add(toDataSet(data.get(i), size, numClasses));
            }
            minibatches.add(DataSet.merge(mb));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(BenchSpark.start(workers).sparkContext());
        List<Tuple2<Long, Example>> keyed = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            keyed.add(new Tuple2<>((long) i, data.get(i)));
        }
        JavaPairRDD<Long, Example> rdd = JavaPairRDD.fromJavaRDD(sc.parallelize(keyed, workers))
                .persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        Maker maker = new Maker(size, numClasses, threads / workers);

        List<String> rows = new ArrayList<>();
        List<String> overheads = new ArrayList<>();
        for (String conv : args.get("conv").split(",")) {
            Convs.use(Convs.Impl.parse(conv.trim()));
            String c = label + " | " + conv.trim();
            // Warm-up, not measured: JIT, native start-up, the first Spark jobs.
            Nd4jThreads.set(threads);
            localEpochs(numClasses, minibatches.subList(0, Math.min(4, minibatches.size())), 1);
            sparkEpochs(sc, numClasses, rdd, images, maker, workers, batch, averaging, 1);

            Timing local = Timing.NONE;
            Timing spark = Timing.NONE;
            Timing oneWorker = Timing.NONE;
            for (int r = 0; r < repeats; r++) {
                Nd4jThreads.set(threads);
                Timing l = localEpochs(numClasses, minibatches, epochs);
                Nd4jThreads.set(threads / workers);
                Timing s = sparkEpochs(sc, numClasses, rdd, images, maker, workers, batch, averaging, epochs);
                // For reading the two above: what one worker's share of the threads does in a plain fit.
                Timing o = localEpochs(numClasses, minibatches, epochs);
                System.err.printf("train-bench: conv %s, repeat %d: local %s, averaging %s, local with %d thread(s) "
                        + "%s, load average %s%n", conv.trim(), r + 1, l.describe(images * epochs),
                        s.describe(images * epochs), threads / workers, o.describe(images * epochs),
                        Backend.loadAverage());
                local = local.best(l);
                spark = spark.best(s);
                oneWorker = oneWorker.best(o);
            }
            // What ran: the native ops that took the time in a plain fit of a few minibatches.
            Nd4jThreads.set(threads);
            String ops = OpShares.top(() -> localEpochs(numClasses,
                    minibatches.subList(0, Math.min(4, minibatches.size())), 1), 3);
            double samples = (double) images * epochs;
            String load = Backend.loadAverage();
            rows.add(String.format("| %s | local ComputationGraph.fit, batch %d | %d | %.0f | %.2f | %.1f | %.2f | %s "
                    + "| %s |", c, batch, threads, samples, local.wall(), samples / local.wall(),
                    samples / local.cpu(), ops, load));
            rows.add(String.format("| %s | AveragingTrainer local[%d], batch %d/worker, averaging every %d | %d x %d "
                    + "| %.0f | %.2f | %.1f | %.2f | | %s |", c, workers, batch, averaging, workers,
                    threads / workers, samples, spark.wall(), samples / spark.wall(), samples / spark.cpu(), load));
            rows.add(String.format("| %s | local ComputationGraph.fit, batch %d (one worker's threads, for reference) "
                    + "| %d | %.0f | %.2f | %.1f | %.2f | | %s |", c, batch, threads / workers, samples,
                    oneWorker.wall(), samples / oneWorker.wall(), samples / oneWorker.cpu(), load));
            overheads.add(String.format("Parameter-averaging overhead, conv %s (time per sample vs local fit): "
                    + "%+.1f%% wall, %+.1f%% process CPU time", conv.trim(), (spark.wall() / local.wall() - 1) * 100,
                    (spark.cpu() / local.cpu() - 1) * 100));
        }
        sc.stop();
        System.out.println();
        System.out.println("| classifier | runtime.conv | mode | threads | samples | best s | samples/s "
                + "| samples/CPU s | top native ops | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println();
        overheads.forEach(System.out::println);
    }

    /** Wall seconds and process CPU seconds (all threads: Spark's, ND4J's, the JVM's) of one measured phase. */
    record Timing(double wall, double cpu) {
        static final Timing NONE = new Timing(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

        static long cpuNow() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        static Timing since(long wallStart, long cpuStart) {
            return new Timing((System.nanoTime() - wallStart) / 1e9, (cpuNow() - cpuStart) / 1e9);
        }

        /** Each of the two figures at its own best. */
        Timing best(Timing other) {
            return new Timing(Math.min(wall, other.wall), Math.min(cpu, other.cpu));
        }

        String describe(double samples) {
            return String.format("%.2f s (%.1f samples/s, %.2f samples/CPU s)", wall, samples / wall, samples / cpu);
        }
    }

    private static Timing localEpochs(int numClasses, List<DataSet> minibatches, int epochs) {
        ComputationGraph net = ClassifierNets.smallDilated(numClasses, 3);
        long t = System.nanoTime();
        long cpu = Timing.cpuNow();
        for (int e = 0; e < epochs; e++) {
            for (DataSet mb : minibatches) {
                net.fit(mb);
            }
        }
        Timing timing = Timing.since(t, cpu);
        requireFinite(net.score(), "local fit");
        return timing;
    }

    private static Timing sparkEpochs(JavaSparkContext sc, int numClasses, JavaPairRDD<Long, Example> rdd,
                                      long total, Maker maker, int workers, int batch, int averaging, int epochs) {
        AveragingTrainer trainer = new AveragingTrainer(sc, ClassifierNets.smallDilated(numClasses, 3), workers,
                batch, averaging);
        long t = System.nanoTime();
        long cpu = Timing.cpuNow();
        double score = 0;
        for (int e = 0; e < epochs; e++) {
            score = trainer.fitEpoch(rdd, total, maker, null, null);
        }
        Timing timing = Timing.since(t, cpu);
        requireFinite(score, "parameter averaging");
        return timing;
    }

    private static void requireFinite(double score, String what) {
        if (!Double.isFinite(score)) {
            throw new IllegalStateException(what + " ended with loss " + score);
        }
    }

    static Example exampleOf(Scene s, int numClasses) {
        return example(s, numClasses);
    }

    private static Example example(Scene s, int numClasses) {
        INDArray x = ImageTensors.toInput(s.image());
        float[] y = new float[numClasses];
        for (int c : s.labels()) {
            y[c - 1] = 1f;
        }
        return new Example(x.data().asFloat(), y);
    }

    static DataSet toDataSet(Example e, int size, int numClasses) {
        return new DataSet(Nd4j.create(e.x(), new long[] {1, 3, size, size}, 'c'),
                Nd4j.create(e.y(), new long[] {1, numClasses}, 'c'));
    }
}
