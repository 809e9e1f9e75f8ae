package org.wsss.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** What ND4J native backend this JVM runs, for the benchmark tables. */
public final class Backend {
    private Backend() {
    }

    /** The bindings folder of the loaded libnd4j, e.g. "linux-x86_64-avx2" (the jar's classifier). */
    public static String classifier() {
        Nd4j.create(1); // loads the backend
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String path = e.getValue();
            int at = path.indexOf("nativecpu/bindings/");
            if (e.getKey().contains("nd4jcpu") && at >= 0) {
                String rest = path.substring(at + "nativecpu/bindings/".length());
                return rest.substring(0, rest.indexOf('/'));
            }
        }
        return "unknown";
    }

    public static String describe() {
        String classifier = classifier(); // the backend loaded first: NativeOpsHolder alone fails to find it
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        // DL4J 1.0.0-M2.1 creates layer helpers only with org.eclipse.deeplearning4j.helpers.disable=false, and
        // its oneDNN check looks up a class that moved, so convolutions run as im2col + BLAS GEMM on every build.
        return "backend " + classifier + ", blas " + Nd4j.factory().blas().getBlasVendor()
                + ", DL4J helpers disabled=" + System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "true")
                + ", oneDNN conv helper usable " + BaseMKLDNNHelper.mklDnnEnabled()
                + ", minimal/optimal CPU requirements met " + ops.isMinimalRequirementsMet() + "/"
                + ops.isOptimalRequirementsMet() + ", " + Nd4jThreads.describe();
    }

    /** The 1, 5 and 15 minute load averages (the machine is shared: the numbers are noisy). */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
