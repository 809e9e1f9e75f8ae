package org.wsss.cli;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * `wsss doctor`: what this JVM will compute with: ND4J backend and devices, the native build and the CPU's vector
 * instructions, memory limits, versions.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Prints the ND4J backend and its devices, the nd4j-native build loaded and whether the CPU "
                + "would run a faster one, the heap and off-heap (JavaCPP) memory limits, and the Java, Spark and "
                + "DL4J versions."})
final class DoctorCommand implements Callable<Integer> {

    @Override
    public Integer call() {
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
        System.out.println("cpu cores       " + Runtime.getRuntime().availableProcessors());
        System.out.println("heap max        " + Runtime.getRuntime().maxMemory() / mb + " MB");
        System.out.println("off-heap max    " + Pointer.maxBytes() / mb + " MB (org.bytedeco.javacpp.maxbytes)");
        System.out.println("physical max    " + Pointer.maxPhysicalBytes() / mb
                + " MB (org.bytedeco.javacpp.maxphysicalbytes)");
        return 0;
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
