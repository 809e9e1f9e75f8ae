package org.wsss.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;

/**
 * The native ops that took the most time while some work ran, from ND4J's op profiler: names which convolution
 * implementation did the work ({@code conv2d}/{@code conv2d_bp}: libnd4j's ops; {@code im2col} + {@code matmul}:
 * DL4J's ConvolutionLayer).
 */
public final class OpShares {
    private static final Pattern OP_TIME = Pattern.compile("^\\S+ (\\S+) \\(.*?>>>\\s+perc: ([\\d.]+) Time spent");

    private OpShares() {
    }

    /** "op share%, ..." for the {@code top} ops by native time while {@code work} runs once, profiled. */
    public static String top(Runnable work, int top) {
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.ALL);
        try {
            work.run();
        } finally {
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        }
        List<String> shares = new ArrayList<>();
        for (String line : OpProfiler.getInstance().getLongAggergator().asPercentageString().split("\n")) {
            Matcher m = OP_TIME.matcher(line.trim());
            if (m.find() && shares.size() < top) {
                shares.add(m.group(1) + " " + Math.round(Double.parseDouble(m.group(2))) + "%");
            }
        }
        return String.join(", ", shares);
    }
}
