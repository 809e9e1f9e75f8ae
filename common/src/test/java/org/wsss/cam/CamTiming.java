package org.wsss.cam;

import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wsss.data.RgbImage;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.TrainingHyper;

/**
 * Prints the per-image cost of make-cams with the small net (128x128, scales 1, 0.5, 1.5, 2 and flip) and
 * of one ResNet-50 (output stride 16 and 8) forward pass on a 320x320 image. Run by hand; not a test.
 */
public final class CamTiming {
    private CamTiming() {
    }

    public static void main(String[] args) {
        RgbImage small = noise(128, 128);
        ComputationGraph net = ClassifierNets.smallDilated(6, 1);
        System.out.println("small net parameters: " + net.numParams());
        CamExtractor cams = new CamExtractor(net);
        double[] scales = {1.0, 0.5, 1.5, 2.0};
        int[] classes = {1, 3};
        for (int i = 0; i < 5; i++) {
            cams.compute(small, classes, scales, true, 0.5);
        }
        int reps = 20;
        long t = System.nanoTime();
        long cpu = cpuNanos();
        for (int i = 0; i < reps; i++) {
            cams.compute(small, classes, scales, true, 0.5);
        }
        System.out.printf("small net make-cams 128x128, 4 scales + flip: %.1f ms/image wall, %.1f ms/image process CPU%n",
                (System.nanoTime() - t) / 1e6 / reps, (cpuNanos() - cpu) / 1e6 / reps);

        INDArray big = ImageTensors.toInput(noise(320, 320));
        for (int os : new int[] {16, 8}) {
            ComputationGraph resnet = ClassifierNets.resnet("resnet50", 20, os, 1, TrainingHyper.resnetDefaults());
            System.out.println("resnet50 os" + os + " parameters: " + resnet.numParams());
            resnet.output(List.of(ClassifierNets.FEATURES, ClassifierNets.SCORES), false, new INDArray[] {big}, null);
            int n = 3;
            long t2 = System.nanoTime();
            long cpu2 = cpuNanos();
            for (int i = 0; i < n; i++) {
                resnet.output(List.of(ClassifierNets.FEATURES, ClassifierNets.SCORES), false, new INDArray[] {big}, null);
            }
            System.out.printf("resnet50 os%d forward 320x320 (scale 1): %.0f ms wall, %.0f ms process CPU%n", os,
                    (System.nanoTime() - t2) / 1e6 / n, (cpuNanos() - cpu2) / 1e6 / n);
        }
    }

    /** CPU time of the whole process (all ND4J threads): less distorted than wall time on a shared machine. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static RgbImage noise(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) r.nextInt(256);
        }
        return new RgbImage(w, h, rgb);
    }
}
