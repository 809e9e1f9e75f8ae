package org.wsss.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.Convs;
import org.wsss.nn.TrainingHyper;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegTargets;

/**
 * Where the segmentation net's training time goes on the CPU, per output stride of the small net (8: no decoder,
 * the baseline; 4: the DeepLab v3+ decoder): samples/s of plain {@code ComputationGraph.fit} on one fixed minibatch
 * (best of --repeats, after 3 warm-up fits), the ratio to the first stride listed, achieved GFLOP/s against ND4J's
 * GEMM rate measured in the same run (training counted as 3x the forward convolutions: forward, input gradient,
 * weight gradient), then one more timed pass under ND4J's op profiler for the share of native op time per op,
 * which names the convolution implementation that ran ({@code conv2d}/{@code conv2d_bp}: libnd4j's ops through
 * {@code NativeConvolution}; {@code im2col} + {@code mmul}: DL4J's ConvolutionLayer). Every stride is run once per
 * {@code --conv} value (the {@code runtime.conv} switch), the nets built afresh with the same seed, so the rows
 * compare the two implementations at the same settings in one run; "vs first" is against the first row.
 *
 * <p>Options: --strides 8,4 --conv native,dl4j --size 96 --batch 8 --classes 7 --iterations 10 --repeats 2 --top 4
 * --label.
 */
public final class SegTrainBench {

    private SegTrainBench() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Map.of("strides", "8,4", "conv", "native,dl4j", "size", "96", "batch", "8",
                "classes", "7", "iterations", "10", "repeats", "2", "top", "4", "label", ""));
        System.err.println("seg-train-bench: " + Backend.describe() + "; load average " + Backend.loadAverage());
        GemmRate.Rate gemm = GemmRate.measure(1024, 3, 10);
        System.err.printf("seg-train-bench: GEMM n=%d float32: best %.1f GFLOP/s%n", gemm.n(), gemm.best());

        List<String> rows = new ArrayList<>();
        double baseline = 0;
        for (String conv : args.get("conv").split(",")) {
            Convs.use(Convs.Impl.parse(conv.trim()));
            for (String token : args.get("strides").split(",")) {
                Measured m = measure(args, Integer.parseInt(token.trim()), gemm);
                if (baseline == 0) {
                    baseline = m.perSecond();
                }
                rows.add(String.format("| %s | %s | %s | %.2f | %s |",
                        args.get("label").isEmpty() ? Backend.classifier() : args.get("label"), conv.trim(),
                        m.cells(), m.perSecond() / baseline, m.rest()));
            }
        }
        System.out.println();
        System.out.println("| classifier | runtime.conv | output stride | input | samples/s | vs first | CPU s/sample "
                + "| GFLOP/sample | GFLOP/s | fraction of GEMM (" + String.format("%.1f", gemm.best()) + " GFLOP/s) "
                + "| native op time | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** One row's figures: its leading cells, samples/s, and the cells after "vs first". */
    private record Measured(String cells, double perSecond, String rest) {
    }

    /** Trains a fresh net of the current conv implementation at {@code stride} on one fixed minibatch. */
    private static Measured measure(Args args, int stride, GemmRate.Rate gemm) {
        int size = args.integer("size");
        int batch = args.integer("batch");
        int iterations = args.integer("iterations");
        ComputationGraph net = SegNets.small(args.integer("classes"), stride, 1, TrainingHyper.smallNetDefaults());
        MultiDataSet data = batch(batch, size, stride, args.integer("classes"));
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        double bestWall = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int r = 0; r < args.integer("repeats"); r++) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                net.fit(data);
            }
            bestWall = Math.min(bestWall, (System.nanoTime() - t0) / 1e9);
            bestCpu = Math.min(bestCpu, (processCpuNanos() - cpu0) / 1e9);
        }
        double samples = (double) iterations * batch;
        double perSecond = samples / bestWall;
        double gflopPerSample = 3 * 2.0 * ForwardFlops.convMacs(net, size, size) / 1e9;
        double gflops = gflopPerSample * perSecond;
        String shares = opShares(net, data, iterations, args.integer("top"));
        return new Measured(String.format("%d | %dx%d, batch %d | %.1f", stride, size, size, batch, perSecond),
                perSecond, String.format("%.3f | %.2f | %.1f | %.3f | %s | %s", bestCpu / samples, gflopPerSample,
                        gflops, gflops / gemm.best(), shares, Backend.loadAverage()));
    }

    /** The top ops by native time over {@code iterations} profiled fits, as "op share%, ...". */
    private static String opShares(ComputationGraph net, MultiDataSet data, int iterations, int top) {
        return OpShares.top(() -> {
            for (int i = 0; i < iterations; i++) {
                net.fit(data);
            }
        }, top);
    }

    /** Random images and random grid labels: the timing does not depend on what is learnt. */
    private static MultiDataSet batch(int n, int size, int stride, int classes) {
        int cells = (size / stride) * (size / stride);
        Random r = new Random(1);
        float[][] labels = new float[n][cells];
        for (float[] l : labels) {
            for (int i = 0; i < cells; i++) {
                l[i] = r.nextInt(classes);
            }
        }
        return SegTargets.batch(Nd4j.rand(DataType.FLOAT, n, 3, size, size), stride, labels, null);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
