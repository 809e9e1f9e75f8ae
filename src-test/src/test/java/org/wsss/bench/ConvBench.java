package org.wsss.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.NativeConvolution;

/**
 * ResNet-50-like 3x3 convolutions (stages 2-5 at a 224 px input, batch 2, and stage 5 dilated as at output
 * stride 16), forward + backward (input and weight gradients) through DL4J's ConvolutionLayer and through
 * {@link NativeConvolution} (libnd4j's conv2d / conv2d_bp), the latter also with libnd4j's platform helpers
 * (oneDNN) switched off, so the table shows which implementation did the work. Rates are set against ND4J's
 * float32 GEMM rate measured first in the same JVM. Evidence of what ran: the top native ops by time under ND4J's
 * op profiler for each implementation.
 *
 * <p>Options: --batch 2 --repeats 3 --threads 2 (ND4J/BLAS/OpenMP threads) --label (first column).
 */
public final class ConvBench {
    /** One conv: channels in = out, square input of side {@code size}. */
    record Shape(String name, int channels, int size, int dilation) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("res2 64ch 56x56", 64, 56, 1),
            new Shape("res3 128ch 28x28", 128, 28, 1),
            new Shape("res4 256ch 14x14", 256, 14, 1),
            new Shape("res5 512ch 14x14 d2", 512, 14, 2));

    private ConvBench() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv, Map.of("batch", "2", "repeats", "3", "threads", "2", "label", ""));
        Nd4jThreads.set(args.integer("threads"));
        String label = args.get("label").isEmpty() ? Backend.classifier() : args.get("label");
        System.err.println("conv-bench: " + Backend.describe() + "; libnd4j helpers allowed "
                + Nd4j.getEnvironment().helpersAllowed() + "; load average " + Backend.loadAverage());
        GemmRate.Rate gemm = GemmRate.measure(1024, 3, 10);
        System.err.printf("conv-bench: GEMM n=1024 float32 best %.1f GFLOP/s%n", gemm.best());
        int batch = args.integer("batch");
        int repeats = args.integer("repeats");
        traceOnePass();
        List<String> rows = new ArrayList<>();
        for (Shape s : SHAPES) {
            rows.add(row(label, s, "dl4j", batch, repeats, gemm, false));
            rows.add(row(label, s, "native", batch, repeats, gemm, true));
            Nd4j.getEnvironment().allowHelpers(false);
            try {
                rows.add(row(label, s, "native, helpers off", batch, repeats, gemm, true));
            } finally {
                Nd4j.getEnvironment().allowHelpers(true);
            }
        }
        System.out.println();
        System.out.println("| classifier | conv (3x3, batch " + batch + ") | layer | fwd+bwd ms | GFLOP/s "
                + "| fraction of GEMM (" + String.format("%.1f", gemm.best()) + " GFLOP/s) | top native ops "
                + "| load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(String label, Shape s, String impl, int batch, int repeats, GemmRate.Rate gemm,
                              boolean nativeConv) {
        ConvolutionLayer.Builder b = nativeConv ? new NativeConvolution.Builder(3, 3)
                : new ConvolutionLayer.Builder(3, 3);
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(s.size(), s.size(), s.channels()))
                .addLayer("conv", b.nOut(s.channels()).dilation(s.dilation(), s.dilation()).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .setOutputs("conv").build());
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer("conv");
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, s.channels(), s.size(), s.size());
        INDArray eps = Nd4j.rand(DataType.FLOAT, batch, s.channels(), s.size(), s.size());
        pass(layer, x, eps); // warm-up
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            pass(layer, x, eps);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        // forward, input gradient, weight gradient: three products of the same size
        double flops = 3.0 * 2 * batch * s.channels() * s.channels() * 9 * s.size() * s.size();
        double gflops = flops / best / 1e9;
        String row = String.format("| %s | %s | %s | %.1f | %.1f | %.3f | %s | %s |", label, s.name(), impl,
                best * 1e3, gflops, gflops / gemm.best(), OpShares.top(() -> pass(layer, x, eps), 3), Backend.loadAverage());
        System.err.println("conv-bench: " + row);
        return row;
    }

    /**
     * One small native conv forward + backward with libnd4j's debug and verbose modes on: libnd4j then prints each
     * op it executes and, for an op that a platform helper (oneDNN) takes, that it runs the platform
     * implementation. The lines go to the process's standard output between the two markers.
     */
    private static void traceOnePass() {
        Shape s = new Shape("trace", 8, 8, 1);
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(s.size(), s.size(), s.channels()))
                .addLayer("conv", new NativeConvolution.Builder(3, 3).nOut(s.channels()).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .setOutputs("conv").build());
        net.init();
        net.initGradientsView();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, s.channels(), s.size(), s.size());
        System.out.println("conv-bench: libnd4j trace of one native conv2d + conv2d_bp (debug, verbose) begins");
        System.out.flush();
        Nd4j.getEnvironment().setDebug(true);
        Nd4j.getEnvironment().setVerbose(true);
        try {
            pass(net.getLayer("conv"), x, x);
        } finally {
            Nd4j.getEnvironment().setDebug(false);
            Nd4j.getEnvironment().setVerbose(false);
        }
        System.out.println("conv-bench: libnd4j trace ends");
    }

    private static void pass(Layer layer, INDArray x, INDArray eps) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        layer.activate(true, ws);
        layer.backpropGradient(eps, ws);
    }

}
