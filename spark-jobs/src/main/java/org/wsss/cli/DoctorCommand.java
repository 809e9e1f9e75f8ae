package org.wsss.cli;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.nn.weights.ResNetLayout;
import org.wsss.nn.weights.TensorInfo;
import org.wsss.nn.weights.WeightsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * `wsss doctor`: what this JVM will compute with: ND4J backend and devices, the native build and the CPU's vector
 * instructions, memory limits, versions. With {@code --weights FILE}, instead reads a weights file through and
 * says what it holds, so a bad file is found before a cluster run.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Prints the ND4J backend and its devices, the nd4j-native build loaded and whether the CPU "
                + "would run a faster one, the heap and off-heap (JavaCPP) memory limits, and the Java, Spark and "
                + "DL4J versions.",
                "With --weights FILE, instead reads the weights file (safetensors or PyTorch .pth/.pt) and prints "
                + "its tensor count, parameters, dtypes and the ResNet it looks like; exit 2 on a bad file."})
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--weights", paramLabel = "FILE",
            description = "a weights file to check: safetensors, or a PyTorch .pth/.pt holding a state_dict")
    Path weights;

    @Override
    public Integer call() {
        if (weights != null) {
            checkWeights(weights);
            return 0;
        }
        long mb = 1024 * 1024;
        System.out.println("java            " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")");
        System.out.println("spark           " + org.apache.spark.package$.MODULE$.SPARK_VERSION());
        System.out.println("dl4j/nd4j       " + versionOf(Nd4j.class));
        System.out.println("nd4j backend    " + Nd4j.getBackend().getClass().getName());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        for (Map.Entry<Object, Object> e : new java.util.TreeMap<>(env).entrySet()) {
            System.out.println("  " + e.getKey() + " = " + e.getValue());
        }
        String classifier = NativeBuild.loadedClassifier();
        Set<String> flags = NativeBuild.cpuFlags();
        System.out.println("nd4j native     " + (classifier == null ? "none (not the CPU backend)" : classifier));
        System.out.println("cpu avx2/512    " + (flags.isEmpty() ? "unknown (/proc/cpuinfo not readable)"
                : "AVX2 " + yesNo(flags.containsAll(NativeBuild.AVX2_FLAGS)) + ", AVX-512 "
                + yesNo(flags.containsAll(NativeBuild.AVX512_FLAGS))));
        System.out.println("faster build    " + NativeBuild.advice(classifier, flags));
        System.out.println("convolutions    " + NativeBuild.convolutions(classifier));
        System.out.println("cpu cores       " + Runtime.getRuntime().availableProcessors());
        System.out.println("heap max        " + Runtime.getRuntime().maxMemory() / mb + " MB");
        System.out.println("off-heap max    " + Pointer.maxBytes() / mb + " MB (org.bytedeco.javacpp.maxbytes)");
        System.out.println("physical max    " + Pointer.maxPhysicalBytes() / mb
                + " MB (org.bytedeco.javacpp.maxphysicalbytes)");
        return 0;
    }

    private static void checkWeights(Path file) {
        List<TensorInfo> tensors;
        Map<String, INDArray> values;
        WeightsFile.Format format;
        try {
            format = WeightsFile.detect(file);
            tensors = WeightsFile.list(file);
            values = WeightsFile.read(file); // every tensor's data, so a truncated file fails here, not on a cluster
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": unreadable (" + e.getMessage() + ")");
        }
        long total = 0;
        long buffers = 0;
        Map<String, Integer> dtypes = new TreeMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (TensorInfo t : tensors) {
            long n = values.get(t.name()).length();
            total += n;
            // BatchNorm's running statistics and step counter are state_dict buffers, not trained parameters.
            if (t.name().endsWith("running_mean") || t.name().endsWith("running_var")
                    || t.name().endsWith("num_batches_tracked")) {
                buffers += n;
            }
            dtypes.merge(t.dtype(), 1, Integer::sum);
            shapes.put(t.name(), t.shape());
        }
        System.out.println("weights         " + file + " (" + format.name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ') + ")");
        System.out.println("tensors         " + tensors.size());
        System.out.println("parameters      " + (total - buffers) + " (plus " + buffers
                + " BatchNorm running statistics and counters)");
        System.out.println("dtypes          " + dtypes.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", ")));
        System.out.println("looks like      " + ResNetLayout.detect(shapes).map(ResNetLayout::describe)
                .orElse("not a torchvision/timm ResNet (no conv1.weight and layer1.0.conv1.weight)"));
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String versionOf(Class<?> c) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        String jar = c.getProtectionDomain().getCodeSource() == null ? "" :
                c.getProtectionDomain().getCodeSource().getLocation().getPath();
        return jar.replaceAll(".*/", "");
    }
}
