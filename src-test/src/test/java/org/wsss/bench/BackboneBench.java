package org.wsss.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.TorchResNet;

/**
 * Inference forward of the torchvision-layout ResNet-50 (ImageNet head, 1000 classes, output stride 32, random
 * weights) on CPU, one image per pass, in one JVM without Spark: images/s and the achieved GFLOP/s (convolution
 * FLOPs / wall time, {@link ForwardFlops}) against ND4J's float32 GEMM rate measured first in the same run.
 * Prints one markdown table row per input size. The process CPU time of the best repeat is given too: on a
 * machine shared with other jobs, GFLOP per CPU second is steadier than the wall-time rate.
 *
 * <p>Options: --arch resnet50 --sizes 224,448 --images 4 (passes per repeat) --repeats 3 --threads 0 (0: ND4J's
 * default, all cores) --label (first column).
 */
public final class BackboneBench {
    private BackboneBench() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Map.of("arch", "resnet50", "sizes", "224,448", "images", "4", "repeats", "3",
                "threads", "0", "label", ""));
        int threads = args.integer("threads");
        if (threads > 0) {
            Nd4jThreads.set(threads);
        }
        String label = args.get("label").isEmpty() ? Backend.classifier() : args.get("label");
        System.err.println("backbone-bench: " + Backend.describe() + "; load average " + Backend.loadAverage());
        GemmRate.Rate gemm = GemmRate.measure(1024, 3, 10);
        System.err.printf("backbone-bench: GEMM n=%d float32: best %.1f GFLOP/s, mean %.1f GFLOP/s%n",
                gemm.n(), gemm.best(), gemm.mean());
        String arch = args.get("arch");
        ComputationGraph net = TorchResNet.withLinearHead(TorchResNet.spec(arch), 1000, 32, 1);
        net.outputSingle(false, Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64)); // JIT and native start-up
        List<String> rows = new ArrayList<>();
        for (String s : args.get("sizes").split(",")) {
            int size = Integer.parseInt(s.trim());
            rows.add(run(net, arch, size, args.integer("images"), args.integer("repeats"), threads, gemm, label));
        }
        System.out.println();
        System.out.println("| classifier | network | input | threads | best s/image | images/s | CPU s/image "
                + "| GFLOP/image | GFLOP/s | GFLOP/CPU s | GEMM GFLOP/s | fraction of GEMM | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(ComputationGraph net, String arch, int size, int images, int repeats, int threads,
                              GemmRate.Rate gemm, String label) {
        double flopsPerImage = 2.0 * ForwardFlops.convMacs(net, size, size);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, size, size);
        net.outputSingle(false, x);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double best = Double.POSITIVE_INFINITY;
        double bestCpu = Double.POSITIVE_INFINITY;
        double checksum = 0;
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < images; i++) {
                checksum += net.outputSingle(false, x).sumNumber().doubleValue();
            }
            double perImage = (System.nanoTime() - t) / 1e9 / images;
            double cpuPerImage = (os.getProcessCpuTime() - cpu) / 1e9 / images;
            System.err.printf("backbone-bench: %s %dx%d repeat %d: %.3f s/image, %.3f CPU s/image, load average %s%n",
                    arch, size, size, r + 1, perImage, cpuPerImage, Backend.loadAverage());
            best = Math.min(best, perImage);
            bestCpu = Math.min(bestCpu, cpuPerImage);
        }
        if (!Double.isFinite(checksum)) {
            throw new IllegalStateException(arch + " produced non-finite logits");
        }
        double gflops = flopsPerImage / best / 1e9;
        return String.format("| %s | %s | %dx%d | %s | %.3f | %.3g | %.3f | %.2f | %.1f | %.1f | %.1f | %.3f | %s |",
                label, arch, size, size, threads == 0 ? "default" : String.valueOf(threads), best, 1 / best, bestCpu,
                flopsPerImage / 1e9, gflops, flopsPerImage / bestCpu / 1e9, gemm.best(), gflops / gemm.best(),
                Backend.loadAverage());
    }
}
