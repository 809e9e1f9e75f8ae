package org.wsss.bench;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.wsss.cam.CamExtractor;
import org.wsss.cam.CamResult;
import org.wsss.data.RgbImage;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.Convs;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.TrainingHyper;
import org.wsss.spark.ModelStore;
import org.wsss.synthetic.Scene;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticScenes;
import org.wsss.synthetic.SyntheticSpec;

/**
 * CAM generation throughput on local Spark, done as make-cams does it (model bytes broadcast, loaded once per
 * partition, CamExtractor per image, scales 1, 0.5, 1.5, 2 with flip) over synthetic images already cached
 * in memory, for the small net at 128x128 and ResNet-50 (output stride 16, the configured default) at
 * 320x320, random weights. The achieved GFLOP/s (convolution FLOPs of all the forward passes / wall time) is
 * set against ND4J's float32 GEMM rate measured first in the same JVM. Prints one markdown table row per case.
 *
 * <p>Options: --cases small,resnet50 --conv native,dl4j (runtime.conv values: each case is run with the network
 * built with each convolution implementation) --small-images 64 --resnet-images 4 --repeats 2 --cores 2
 * --task-threads 0 (0: ND4J's defaults, as make-cams; n: n ND4J threads in each task) --label (first column).
 * With --task-threads 1 the table also gives images per CPU second of the task threads, the steadier figure on
 * a loaded machine.
 */
public final class CamBench {
    static final double[] SCALES = {1.0, 0.5, 1.5, 2.0};
    static final boolean FLIP = true;

    record Input(RgbImage image, int[] labels) implements Serializable {
    }

    /**
     * What one partition did: images, time to load the model, time in CamExtractor (wall and the task thread's
     * CPU time), a checksum of the maps.
     */
    record PartitionStats(int images, long loadNanos, long computeNanos, long computeCpuNanos, double checksum)
            implements Serializable {
    }

    record Case(String name, int size, int images, int outputStride) {
        ComputationGraph network(int numClasses) {
            return outputStride == 0 ? ClassifierNets.smallDilated(numClasses, 1)
                    : ClassifierNets.resnet("resnet50", numClasses, outputStride, 1, TrainingHyper.resnetDefaults());
        }
    }

    private CamBench() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Map.of("cases", "small,resnet50", "small-images", "64", "resnet-images", "4",
                "repeats", "2", "cores", "2", "task-threads", "0", "label", "", "conv", "native,dl4j"));
        int cores = args.integer("cores");
        int repeats = args.integer("repeats");
        int taskThreads = args.integer("task-threads");
        String label = args.get("label").isEmpty() ? Backend.classifier() : args.get("label");
        System.err.println("cam-bench: " + Backend.describe() + "; load average " + Backend.loadAverage());

        GemmRate.Rate gemm = GemmRate.measure(1024, 3, 10);
        System.err.printf("cam-bench: GEMM n=%d float32: best %.1f GFLOP/s, mean %.1f GFLOP/s%n",
                gemm.n(), gemm.best(), gemm.mean());

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(BenchSpark.start(cores).sparkContext());
        List<String> rows = new ArrayList<>();
        for (String name : args.get("cases").split(",")) {
            Case c = switch (name.trim()) {
                case "small" -> new Case("small net 128x128", 128, args.integer("small-images"), 0);
                case "resnet50" -> new Case("ResNet-50 os16 320x320", 320, args.integer("resnet-images"), 16);
                default -> throw new IllegalArgumentException("unknown case '" + name + "'; cases: small, resnet50");
            };
            for (String conv : args.get("conv").split(",")) {
                Convs.use(Convs.Impl.parse(conv.trim()));
                rows.add(run(sc, c, cores, repeats, taskThreads, gemm, label + ", conv " + conv.trim()));
            }
        }
        sc.stop();
        System.out.println();
        System.out.println("| classifier | case | images | threads/task | best s | images/s | images/CPU s "
                + "| GFLOP/image | GFLOP/s | GEMM GFLOP/s | fraction of GEMM | top native ops | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(JavaSparkContext sc, Case c, int cores, int repeats, int taskThreads,
                              GemmRate.Rate gemm, String label) {
        int numClasses = SyntheticPreset.SHAPES.classNames().size();
        ComputationGraph net = c.network(numClasses);
        double flopsPerImage = ForwardFlops.camFlops(net, c.size(), SCALES, FLIP);
        Broadcast<byte[]> model = sc.broadcast(ModelStore.toBytes(net, false));

        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(c.images(), c.size(), 7, 0.0, 4));
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < c.images(); i++) {
            Scene s = scenes.render(i);
            inputs.add(new Input(s.image(), s.labels()));
        }
        JavaRDD<Input> rdd = sc.parallelize(inputs, cores).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        // One small image per task first: JIT and native library start-up are not measured.
        List<Input> warmUp = new ArrayList<>();
        for (Input in : inputs.subList(0, Math.min(cores, inputs.size()))) {
            warmUp.add(new Input(ImageTensors.resize(in.image(), 64, 64), in.labels()));
        }
        camJob(sc.parallelize(warmUp, cores), model, taskThreads);

        double best = Double.POSITIVE_INFINITY;
        double bestCpu = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            List<PartitionStats> stats = camJob(rdd, model, taskThreads);
            double s = (System.nanoTime() - t) / 1e9;
            int done = stats.stream().mapToInt(PartitionStats::images).sum();
            if (done != c.images()) {
                throw new IllegalStateException(c.name() + ": " + done + " CAMs made for " + c.images() + " images");
            }
            double load = stats.stream().mapToLong(PartitionStats::loadNanos).max().orElse(0) / 1e9;
            double compute = stats.stream().mapToLong(PartitionStats::computeNanos).max().orElse(0) / 1e9;
            System.err.printf("cam-bench: %s run %d: %.2f s (slowest task: model load %.2f s, CAMs %.2f s), "
                    + "%.3g images/s, load average %s%n", c.name(), r + 1, s, load, compute, c.images() / s,
                    Backend.loadAverage());
            best = Math.min(best, s);
            bestCpu = Math.min(bestCpu, stats.stream().mapToLong(PartitionStats::computeCpuNanos).sum() / 1e9);
        }
        // what ran: the native ops that took the time in one CAM on the driver
        Input first = inputs.get(0);
        CamExtractor driverExtractor = new CamExtractor(net);
        String ops = OpShares.top(() -> driverExtractor.compute(first.image(), first.labels(), SCALES, FLIP, 0.5), 3);
        rdd.unpersist(true);
        model.destroy();
        double gflops = flopsPerImage * c.images() / best / 1e9;
        // With one ND4J thread per task all the arithmetic runs on the task thread, so its CPU time is the
        // work itself, much less disturbed by other load on the machine than the wall time.
        String perCpuSecond = taskThreads == 1 ? String.format("%.3g", c.images() / bestCpu) : "n/a";
        return String.format("| %s | %s | %d | %s | %.2f | %.3g | %s | %.2f | %.1f | %.1f | %.3f | %s | %s |", label,
                c.name(), c.images(), taskThreads == 0 ? "default" : String.valueOf(taskThreads), best,
                c.images() / best, perCpuSecond, flopsPerImage / 1e9, gflops, gemm.best(), gflops / gemm.best(),
                ops, Backend.loadAverage());
    }

    private static List<PartitionStats> camJob(JavaRDD<Input> images, Broadcast<byte[]> model, int taskThreads) {
        return images.mapPartitions(it -> camPartition(it, model.value(), taskThreads)).collect();
    }

    private static Iterator<PartitionStats> camPartition(Iterator<Input> it, byte[] modelBytes, int taskThreads) {
        if (!it.hasNext()) {
            return List.<PartitionStats>of().iterator();
        }
        if (taskThreads > 0) {
            Nd4jThreads.set(taskThreads);
        }
        long t0 = System.nanoTime();
        CamExtractor extractor = new CamExtractor(ModelStore.fromBytes(modelBytes, false));
        long loaded = System.nanoTime();
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        int n = 0;
        double checksum = 0;
        while (it.hasNext()) {
            Input in = it.next();
            CamResult cam = extractor.compute(in.image(), in.labels(), SCALES, FLIP, 0.5);
            for (float v : cam.maps()) {
                checksum += v;
            }
            n++;
        }
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
        return List.of(new PartitionStats(n, loaded - t0, System.nanoTime() - loaded, cpu, checksum)).iterator();
    }
}
