package org.wsss.cli;

import org.wsss.affinity.AffinityLabelParams;
import org.wsss.affinity.AffinityLabels;
import org.wsss.affinity.RandomWalk;
import org.wsss.affinity.RandomWalkParams;
import org.wsss.crf.CrfParams;
import org.wsss.crf.DenseCrf;
import org.wsss.data.ImageCodec;
import org.wsss.data.RgbImage;
import org.wsss.io.Npy;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.TorchResNet;
import org.wsss.nn.TorchWeights;
import org.wsss.nn.weights.WeightsFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.io.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * `wsss kernel ...`: the numerical kernels on .npy arrays, with the stages' numerics and no Spark, so results
 * can be compared with the Python reference code and psa/irn users can bring their own maps.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = {"Numerical kernels on .npy arrays (float32, C order), without Spark."},
        subcommands = {KernelCommand.Walk.class, KernelCommand.AffLabels.class, KernelCommand.Crf.class,
                KernelCommand.Backbone.class})
final class KernelCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * A non-empty 3-d array of finite values. Npy checks the file's length against its header before allocating,
     * so a small file declaring a huge shape, or a truncated one, is a one-line error, not an OutOfMemoryError.
     */
    static NpyArray read3d(Path p, String option) throws Exception {
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(option + " " + p + ": no such file");
        }
        NpyArray a;
        try {
            a = Npy.read(p);
        } catch (IllegalArgumentException e) { // Npy's messages start with the file
            throw new IllegalArgumentException(option + " " + e.getMessage(), e);
        }
        if (a.shape().length != 3 || a.shape()[0] < 1 || a.shape()[1] < 1 || a.shape()[2] < 1) {
            throw new IllegalArgumentException(option + " " + p + ": expected a non-empty 3-d array (k, h, w), got "
                    + "shape " + java.util.Arrays.toString(a.shape()));
        }
        a.requireFinite(option + " " + p);
        return a;
    }

    /** Checked before any work, so a mistyped --out costs nothing and never ends in a stack trace. */
    static void requireWritableOut(Path out) {
        Path abs = out.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException("--out " + out + ": is a directory; give a file name such as "
                    + abs.resolve("out.npy"));
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--out " + out + ": folder " + parent
                    + (Files.exists(parent) ? " is not a directory" : " does not exist") + "; create it first");
        }
    }

    /** A double option within [min, max] (so never NaN). */
    static void requireInRange(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a number in [" + min + ", "
                    + max + "]");
        }
    }

    static void requireFinite(String option, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number");
        }
    }

    static void requirePositive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": must be a finite number > 0");
        }
    }

    /**
     * The walk's radius: within RandomWalkParams' range and no larger than the smallest radius that already links
     * every pair of cells of the h x w grid (0 &lt; d² &lt; r²), since a larger one adds nothing but cost.
     */
    static void requireRadius(int radius, int h, int w) {
        int linksAll = (int) Math.floor(Math.sqrt((double) (h - 1) * (h - 1) + (double) (w - 1) * (w - 1))) + 1;
        int max = Math.min(RandomWalkParams.MAX_RADIUS, linksAll);
        if (radius < 1 || radius > max) {
            throw new IllegalArgumentException("--radius " + radius + ": must be in 1.." + max + " for the " + h + "x"
                    + w + " grid (at most " + RandomWalkParams.MAX_RADIUS + "; radius " + linksAll
                    + " already links every pair of cells)");
        }
    }

    @Command(name = "random-walk", mixinStandardHelpOptions = true,
            description = {"Propagates maps with the affinity random walk: neighbours within the radius, "
                    + "a_ij = exp(-mean_d |f_i - f_j|), W = A^beta, columns normalised, maps . T^t."})
    static final class Walk implements Callable<Integer> {
        @Option(names = "--cams", required = true, paramLabel = "C.npy",
                description = "float32 (classes incl. background, h, w) at grid resolution.")
        Path cams;
        @Option(names = "--features", required = true, paramLabel = "F.npy",
                description = "float32 (channels, h, w) affinity features.")
        Path features;
        @Option(names = "--out", required = true, paramLabel = "O.npy",
                description = "float32 (classes, h, w) propagated maps, before upsampling.")
        Path out;
        @Option(names = "--beta", defaultValue = "8", description = "Power of the affinities (default ${DEFAULT-VALUE}).")
        double beta;
        @Option(names = "--t", defaultValue = "256", description = "Walk steps (default ${DEFAULT-VALUE}).")
        int steps;
        @Option(names = "--radius", defaultValue = "5", description = "Neighbourhood radius (default ${DEFAULT-VALUE}).")
        int radius;
        @Option(names = "--threads", defaultValue = "1", description = "Threads (default ${DEFAULT-VALUE}).")
        int threads;

        @Override
        public Integer call() throws Exception {
            requireWritableOut(out);
            requirePositive("--beta", beta);
            if (steps < 0 || steps > RandomWalkParams.MAX_STEPS) {
                throw new IllegalArgumentException("--t " + steps + ": must be in 0.." + RandomWalkParams.MAX_STEPS);
            }
            if (threads < 1 || threads > RandomWalkParams.MAX_THREADS) {
                throw new IllegalArgumentException("--threads " + threads + ": must be in 1.."
                        + RandomWalkParams.MAX_THREADS);
            }
            NpyArray c = read3d(cams, "--cams");
            NpyArray f = read3d(features, "--features");
            if (c.shape()[1] != f.shape()[1] || c.shape()[2] != f.shape()[2]) {
                throw new IllegalArgumentException("--cams grid " + c.shape()[1] + "x" + c.shape()[2]
                        + " differs from --features grid " + f.shape()[1] + "x" + f.shape()[2]);
            }
            requireRadius(radius, c.shape()[1], c.shape()[2]);
            RandomWalkParams p = new RandomWalkParams(radius, beta, steps, threads);
            float[] o = RandomWalk.propagate(c.data(), c.shape()[0], f.data(), f.shape()[0], c.shape()[1],
                    c.shape()[2], p);
            Npy.write(out, c.shape(), o);
            return 0;
        }
    }

    @Command(name = "affinity-labels", mixinStandardHelpOptions = true,
            description = {"Confident affinity labels from CAMs: psa's two background powers or irn's constant "
                    + "thresholds; output float32 (h, w): 0 background, k+1 for CAM plane k, 255 ignore."})
    static final class AffLabels implements Callable<Integer> {
        @Option(names = "--cams", required = true, paramLabel = "C.npy",
                description = "float32 (foreground classes, h, w), each normalised to [0, 1].")
        Path cams;
        @Option(names = "--out", required = true, paramLabel = "L.npy", description = "float32 (h, w) labels.")
        Path out;
        @Option(names = "--mode", defaultValue = "psa", description = "psa or irn (default ${DEFAULT-VALUE}).")
        String mode;
        @Option(names = "--fg", description = "psa: alpha of the foreground pass (4); irn: fg threshold (0.30).")
        Double fg;
        @Option(names = "--bg", description = "psa: alpha of the background pass (24); irn: bg threshold (0.05).")
        Double bg;

        @Override
        public Integer call() throws Exception {
            requireWritableOut(out);
            if (fg != null) {
                requireFinite("--fg", fg);
            }
            if (bg != null) {
                requireFinite("--bg", bg);
            }
            NpyArray c = read3d(cams, "--cams");
            AffinityLabelParams p = switch (mode) {
                case "psa" -> AffinityLabelParams.psa();
                case "irn" -> AffinityLabelParams.irn();
                default -> throw new IllegalArgumentException("--mode " + mode + ": expected psa or irn");
            };
            p = new AffinityLabelParams(p.mode(), fg != null ? fg : p.fgPass(), bg != null ? bg : p.bgPass());
            int k = c.shape()[0], h = c.shape()[1], w = c.shape()[2];
            int[] classes = new int[k];
            for (int i = 0; i < k; i++) {
                classes[i] = i + 1;
            }
            byte[] labels = AffinityLabels.fromCams(c.data(), classes, h, w, p);
            float[] o = new float[labels.length];
            for (int i = 0; i < o.length; i++) {
                o[i] = labels[i] & 0xff;
            }
            Npy.write(out, new int[]{h, w}, o);
            return 0;
        }
    }

    @Command(name = "crf", mixinStandardHelpOptions = true,
            description = {"Dense CRF mean-field refinement (Potts; gaussian and bilateral kernels on the "
                    + "permutohedral lattice)."})
    static final class Crf implements Callable<Integer> {
        /** Mean field converges in 5-10 iterations (psa: 10); the crf.iterations key allows the same. */
        static final int MAX_CRF_ITERATIONS = 1000;
        @Option(names = "--image", required = true, paramLabel = "IMG.png", description = "The RGB image (PNG or JPEG).")
        Path image;
        @Option(names = "--probs", required = true, paramLabel = "P.npy",
                description = "float32 (labels, h, w) probabilities at image size.")
        Path probs;
        @Option(names = "--out", required = true, paramLabel = "Q.npy", description = "float32 (labels, h, w) refined.")
        Path out;
        @Option(names = "--iterations", defaultValue = "10", description = "Mean-field iterations (default ${DEFAULT-VALUE}).")
        int iterations;
        @Option(names = "--gaussian-sxy", defaultValue = "3") double gSxy;
        @Option(names = "--gaussian-weight", defaultValue = "3") double gW;
        @Option(names = "--bilateral-sxy", defaultValue = "80") double bSxy;
        @Option(names = "--bilateral-srgb", defaultValue = "13") double bSrgb;
        @Option(names = "--bilateral-weight", defaultValue = "10") double bW;
        @Option(names = "--threads", description = "Threads (default: the machine's cores, here ${DEFAULT-VALUE}); "
                + "the result is the same for any number.")
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), DenseCrf.MAX_THREADS);

        @Override
        public Integer call() throws Exception {
            requireWritableOut(out);
            if (iterations < 0 || iterations > MAX_CRF_ITERATIONS) {
                throw new IllegalArgumentException("--iterations " + iterations + ": must be in 0.."
                        + MAX_CRF_ITERATIONS);
            }
            requirePositive("--gaussian-sxy", gSxy);
            requireInRange("--gaussian-weight", gW, 0, 1000);
            requirePositive("--bilateral-sxy", bSxy);
            requirePositive("--bilateral-srgb", bSrgb);
            requireInRange("--bilateral-weight", bW, 0, 1000);
            if (threads < 1 || threads > DenseCrf.MAX_THREADS) {
                throw new IllegalArgumentException("--threads " + threads + ": must be in 1.." + DenseCrf.MAX_THREADS);
            }
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException("--image " + image + ": no such file");
            }
            RgbImage img = ImageCodec.decodeRgb(Files.readAllBytes(image));
            NpyArray p = read3d(probs, "--probs");
            if (p.shape()[1] != img.height() || p.shape()[2] != img.width()) {
                throw new IllegalArgumentException("--probs is " + p.shape()[1] + "x" + p.shape()[2]
                        + " but --image is " + img.height() + "x" + img.width());
            }
            CrfParams params = new CrfParams(gSxy, gW, bSxy, bSrgb, bW, iterations, CrfParams.DEFAULTS.probFloor());
            float[] q = new DenseCrf(params, threads).infer(img, p.data(), p.shape()[0]);
            Npy.write(out, p.shape(), q);
            return 0;
        }
    }

    @Command(name = "backbone", mixinStandardHelpOptions = true,
            description = {"Runs a torchvision/timm ResNet state_dict (safetensors or .pth) with its own classification head "
                    + "(fc) on one image as given (no resize), normalised as torchvision's ImageNet models expect "
                    + "(RGB / 255, then ImageNet mean and std), and writes the float32 logits [1, classes]: compare "
                    + "them with PyTorch's to check an import."})
    static final class Backbone implements Callable<Integer> {
        @Option(names = "--weights", required = true, paramLabel = "FILE",
                description = "A torchvision-layout ResNet state_dict, safetensors or a PyTorch .pth zip (keys "
                        + "conv1.weight, layer1.0.conv1.weight, ..., fc.weight; a 'module.' prefix is accepted).")
        Path weights;
        @Option(names = "--image", required = true, paramLabel = "IMG.png", description = "The RGB image (PNG or JPEG).")
        Path image;
        @Option(names = "--out", required = true, paramLabel = "LOGITS.npy", description = "float32 [1, classes].")
        Path out;
        @Option(names = "--arch", paramLabel = "ARCH",
                description = "resnet50 or resnet101: the checkpoint must be that network. Default: the ResNet the "
                        + "checkpoint's shapes describe.")
        String arch;
        @Option(names = "--output-stride", defaultValue = "32",
                description = "32 (as trained), or 16 or 8 with dilation as torchvision's replace_stride_with_dilation "
                        + "(default ${DEFAULT-VALUE}).")
        int outputStride;

        @Override
        public Integer call() throws Exception {
            requireWritableOut(out);
            TorchResNet.Spec wanted = arch == null ? null : switch (arch) {
                case "resnet50", "resnet101" -> TorchResNet.spec(arch);
                default -> throw new IllegalArgumentException("--arch " + arch + ": expected resnet50 or resnet101");
            };
            if (outputStride != 32 && outputStride != 16 && outputStride != 8) {
                throw new IllegalArgumentException("--output-stride " + outputStride + ": expected 32, 16 or 8");
            }
            if (!Files.isRegularFile(weights)) {
                throw new IllegalArgumentException("--weights " + weights + ": no such file");
            }
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException("--image " + image + ": no such file");
            }
            Map<String, INDArray> state;
            try {
                state = WeightsFile.read(weights);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--weights " + weights + ": " + e.getMessage(), e);
            }
            TorchWeights.Inferred inferred = TorchWeights.inferArchitecture(state, "--weights " + weights);
            if (wanted != null && !wanted.equals(inferred.spec())) {
                throw new IllegalArgumentException("--weights " + weights + " holds a " + inferred.spec()
                        + ", not --arch " + arch + " " + wanted);
            }
            if (inferred.numClasses() == 0) {
                throw new IllegalArgumentException("--weights " + weights + " has no fc.weight: kernel backbone runs "
                        + "the checkpoint's own classification head");
            }
            RgbImage img;
            try {
                img = ImageCodec.decodeRgb(Files.readAllBytes(image));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--image " + image + ": not a readable PNG or JPEG ("
                        + e.getMessage() + ")", e);
            }
            ComputationGraph net = TorchResNet.withLinearHead(inferred.spec(), inferred.numClasses(), outputStride, 1);
            TorchWeights.copy(state, net, true, "--weights " + weights);
            float[] logits = net.outputSingle(false, ImageTensors.toInput(img)).toFloatVector();
            Npy.write(out, new int[]{1, logits.length}, logits);
            return 0;
        }
    }
}
