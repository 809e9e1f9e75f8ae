package org.wsss.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.wsss.data.RgbImage;
import org.wsss.metrics.MultiLabelMetrics;
import org.wsss.synthetic.Scene;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticScenes;
import org.wsss.synthetic.SyntheticSpec;

/**
 * Trains the small net on the synthetic scenes and prints held-out multi-label F1 per epoch, next to the F1
 * of the best label-blind guess (every class predicted present). Run by hand (it takes minutes):
 * {@code java -cp ... org.wsss.nn.SmallNetLearnsSynthetic [count] [epochs] [adam lr] [batch]}.
 */
public final class SmallNetLearnsSynthetic {
    private SmallNetLearnsSynthetic() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        double lr = args.length > 2 ? Double.parseDouble(args[2]) : 3e-3;
        int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int c = SyntheticPreset.SHAPES.classNames().size();
        SyntheticScenes scenes = new SyntheticScenes(new SyntheticSpec(count, 128, 7, 0.2, 4));
        List<Scene> train = new ArrayList<>();
        List<Scene> val = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Scene s = scenes.render(i);
            (s.split().equals("val") ? val : train).add(s);
        }
        System.out.printf("rendered %d train + %d val scenes in %.1f s, %d classes%n", train.size(), val.size(),
                seconds(t0), c);

        MultiLabelMetrics allPositive = new MultiLabelMetrics(c);
        int[] every = java.util.stream.IntStream.range(0, c).toArray();
        val.forEach(s -> allPositive.add(zeroBased(s.labels()), every));
        System.out.printf("chance (predict every class): micro F1 %.3f, macro F1 %.3f%n",
                allPositive.microF1(), allPositive.macroF1());

        ComputationGraph net = ClassifierNets.smallDilated(c, 1, new TrainingHyper("adam", lr, 0.9, 1e-4, 1));
        Augmenter augmenter = new Augmenter(new Augmenter.Settings(128, 120, 150, 0.5, 0.2, 0.2, 0.2), 3);
        SplittableRandom shuffle = new SplittableRandom(5);
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            List<Scene> order = new ArrayList<>(train);
            for (int i = order.size() - 1; i > 0; i--) {
                java.util.Collections.swap(order, i, shuffle.nextInt(i + 1));
            }
            double loss = 0;
            int batches = 0;
            for (int b = 0; b + batchSize <= order.size(); b += batchSize) {
                List<RgbImage> images = new ArrayList<>();
                INDArray y = Nd4j.zeros(DataType.FLOAT, batchSize, c);
                for (int i = 0; i < batchSize; i++) {
                    Scene s = order.get(b + i);
                    images.add(augmenter.apply(s.image()));
                    for (int label : s.labels()) {
                        y.putScalar(i, label - 1, 1f);
                    }
                }
                net.fit(new DataSet(ImageTensors.toBatch(images), y));
                loss += net.score();
                batches++;
            }
            MultiLabelMetrics m = new MultiLabelMetrics(c);
            for (Scene s : val) {
                double[] scores = net.outputSingle(ImageTensors.toInput(s.image())).toDoubleVector();
                m.add(zeroBased(s.labels()), MultiLabelMetrics.threshold(scores, 0.5));
            }
            System.out.printf("epoch %d: train loss %.4f, val micro F1 %.3f, macro F1 %.3f, elapsed %.0f s%n",
                    epoch, loss / batches, m.microF1(), m.macroF1(), seconds(start));
        }
    }

    private static int[] zeroBased(int[] labels) {
        return java.util.Arrays.stream(labels).map(l -> l - 1).toArray();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
