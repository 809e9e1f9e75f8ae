package org.wsss.affinity;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.nn.ClassifierNets;

/**
 * Benchmark (not a test): forward + backward + update time per image of the small AffinityNet
 * ({@link AffinityNets#small(long)}, r = 5) on random images with random pair labels, minibatch 8.
 * For scale, the same for the small classifier (same backbone, GAP + linear head) on the same images.
 * Arguments: image side (default 128), timed iterations (default 5).
 */
public final class AffinityNetBench {

    public static void main(String[] args) {
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int batch = 8;
        ComputationGraph net = AffinityNets.small(1);
        int grid = (side + 7) / 8;
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, 3, side, side).subi(0.5f);
        INDArray labels = Nd4j.rand(DataType.FLOAT, batch, 34L * grid * grid).muli(4).subi(1);
        labels = Nd4j.math().floor(labels);
        DataSet data = new DataSet(images, labels);
        net.fit(data);
        net.fit(data);
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            net.fit(data);
        }
        double fitMs = (System.nanoTime() - t0) / 1e6 / iterations;
        t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            net.outputSingle(images);
        }
        double forwardMs = (System.nanoTime() - t0) / 1e6 / iterations;
        ComputationGraph classifier = ClassifierNets.smallDilated(20, 1);
        DataSet tags = new DataSet(images, Nd4j.zeros(DataType.FLOAT, batch, 20));
        classifier.fit(tags);
        t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            classifier.fit(tags);
        }
        double classifierMs = (System.nanoTime() - t0) / 1e6 / iterations;
        System.out.printf("small classifier %dx%d: fit %.1f ms/image%n", side, side, classifierMs / batch);
        System.out.printf("small AffinityNet %dx%d, minibatch %d, %d cpus: fit %.1f ms/batch = %.1f ms/image;"
                        + " forward only %.1f ms/image; score %.4f%n", side, side, batch,
                Runtime.getRuntime().availableProcessors(), fitMs, fitMs / batch, forwardMs / batch, net.score());
    }
}
