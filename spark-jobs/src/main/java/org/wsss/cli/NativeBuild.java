package org.wsss.cli;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nd4j-native build (jar classifier) this JVM loaded, and whether the CPU would run a build with wider
 * vector instructions: the part of {@code wsss doctor} that decides, separate from what it reads.
 */
final class NativeBuild {
    /** What libnd4j's -Pavx2 build is compiled for (x86-64-v3 level: AVX2 with FMA). */
    static final List<String> AVX2_FLAGS = List.of("avx2", "fma");
    /** What libnd4j's -Pavx512 build is compiled for (skylake-avx512). */
    static final List<String> AVX512_FLAGS = List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private static final String BINDINGS = "nativecpu/bindings/";

    private NativeBuild() {
    }

    /**
     * The classifier of the loaded libnd4jcpu, e.g. "linux-x86_64-avx512" (the folder it was unpacked from), or
     * null when no CPU backend library is loaded (the CUDA backend, or ND4J not initialised yet).
     */
    static String loadedClassifier() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String path = e.getValue();
            int at = path == null ? -1 : path.indexOf(BINDINGS);
            if (e.getKey().contains("nd4jcpu") && at >= 0) {
                String rest = path.substring(at + BINDINGS.length());
                int slash = rest.indexOf('/');
                return slash < 0 ? rest : rest.substring(0, slash);
            }
        }
        return null;
    }

    /** The flags of the first "flags" line of a /proc/cpuinfo text; empty when it has none. */
    static Set<String> cpuFlags(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                return new LinkedHashSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
            }
        }
        return Set.of();
    }

    /** This machine's CPU flags (Linux); empty where /proc/cpuinfo cannot be read. */
    static Set<String> cpuFlags() {
        try {
            return cpuFlags(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** 0 generic x86-64, 1 AVX2, 2 AVX-512: what a classifier needs. */
    static int levelOf(String classifier) {
        return classifier.contains("avx512") ? 2 : classifier.contains("avx2") ? 1 : 0;
    }

    /** The widest level the CPU runs, from its flags. */
    static int levelOf(Set<String> flags) {
        return flags.containsAll(AVX512_FLAGS) ? 2 : flags.containsAll(AVX2_FLAGS) ? 1 : 0;
    }

    private static final String[] LEVEL = {"generic x86-64", "AVX2", "AVX-512"};
    private static final String[] PROFILE = {"the default profile (no -P)", "-Pavx2", "-Pavx512"};

    /** One line: whether a build for wider instructions would run here, and how to get it. */
    static String advice(String classifier, Set<String> flags) {
        if (classifier == null) {
            return "no nd4j-native library loaded (not the CPU backend): nothing to compare";
        }
        if (flags.isEmpty()) {
            return "CPU flags unknown (/proc/cpuinfo not readable): cannot tell whether a faster build would run";
        }
        int built = levelOf(classifier);
        int cpu = levelOf(flags);
        if (cpu > built && classifier.contains("onednn")) {
            // measured: -Ponednn's native convolutions beat -Pavx2's generic ones by far more than the wider
            // compilation of the other ops gains (README, Performance)
            return "none: oneDNN picks " + LEVEL[cpu] + " kernels for the convolutions at run time; "
                    + PROFILE[cpu] + " (nd4j-native classifier linux-x86_64-" + (cpu == 2 ? "avx512" : "avx2")
                    + ", without oneDNN) compiles the other ops for " + LEVEL[cpu]
                    + " but runs convolutions slower";
        }
        if (cpu > built) {
            return "CPU supports " + LEVEL[cpu] + ": a faster build is available with " + PROFILE[cpu]
                    + " (nd4j-native classifier linux-x86_64-" + (cpu == 2 ? "avx512" : "avx2") + ")";
        }
        if (cpu == built) {
            return "none: this build uses the widest instructions the CPU has (" + LEVEL[cpu] + ")";
        }
        return "this build needs " + LEVEL[built] + " but the CPU has only " + LEVEL[cpu] + ": build with "
                + PROFILE[cpu];
    }

    /**
     * One line: what runs the convolutions of {@code runtime.conv = native} (the default) with this build. libnd4j's
     * conv2d op has a oneDNN implementation only in the onednn classifiers; elsewhere it runs its generic kernel.
     */
    static String convolutions(String classifier) {
        if (classifier == null) {
            return "runtime.conv = native: libnd4j's conv2d on this backend (cuDNN's implementation where the CUDA "
                    + "build has it)";
        }
        if (classifier.contains("onednn")) {
            return "runtime.conv = native: libnd4j's conv2d through oneDNN (this build, " + classifier + ")";
        }
        return "runtime.conv = native: libnd4j's conv2d, generic kernel; the default build (nd4j-native classifier "
                + "linux-x86_64-onednn, no -P) runs it through oneDNN, 2-4x faster on ResNet-like convs (README, "
                + "Performance)";
    }
}
