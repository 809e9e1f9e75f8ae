package org.wsss.spark.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.wsss.nn.Convs;
import org.wsss.nn.TrainingHyper;
import org.wsss.seg.SegNets;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wsss.jobs.SparkTestSession;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class AveragingTrainerTest {

    record Example(float[] x, float[] y) implements Serializable {
    }

    private static final int C = 3, H = 8, W = 8;

    static ComputationGraph net() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(42)
                .updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT)
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(H, W, 3))
                .addLayer("conv", Convs.builder(3, 3).nOut(6).activation(Activation.RELU)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), "image")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("scores", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(C)
                        .activation(Activation.SIGMOID).hasBias(false).build(), "gap")
                .setOutputs("scores").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    static List<Example> examples(int n) {
        Random rnd = new Random(7);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[3 * H * W];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian();
            }
            float[] y = new float[C];
            y[rnd.nextInt(C)] = 1;
            out.add(new Example(x, y));
        }
        return out;
    }

    static DataSet toDataSet(Example e) {
        return new DataSet(Nd4j.create(e.x(), new long[]{1, 3, H, W}), Nd4j.create(e.y(), new long[]{1, C}));
    }

    @Test
    void oneWorkerAveragingEveryStepEqualsALocalFit() {
        int batch = 4;
        List<Example> data = examples(14); // 3 full minibatches and a last one of 2
        ComputationGraph local = net();
        INDArray initial = local.params().dup();
        for (int start = 0; start < data.size(); start += batch) {
            List<DataSet> mb = new ArrayList<>();
            for (int i = start; i < Math.min(start + batch, data.size()); i++) {
                mb.add(toDataSet(data.get(i)));
            }
            local.fit(DataSet.merge(mb));
        }
        INDArray localParams = local.params();
        assertTrue(localParams.sub(initial).norm2Number().doubleValue() > 1e-3, "training moved the parameters");

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        List<Tuple2<Long, Example>> keyed = new ArrayList<>();
        // hand the items to Spark in scrambled order: the position keys alone must decide the order
        for (int i = data.size() - 1; i >= 0; i--) {
            keyed.add(new Tuple2<>((long) i, data.get(i)));
        }
        JavaPairRDD<Long, Example> rdd = JavaPairRDD.fromJavaRDD(sc.parallelize(keyed, 3));
        AveragingTrainer trainer = new AveragingTrainer(sc, net(), 1, batch, 1);
        assertEquals(initial, trainer.network().params(), "same initialisation");
        trainer.fitEpoch(rdd, data.size(), AveragingTrainerTest::make, null, null);
        INDArray sparkParams = trainer.network().params();
        double maxDiff = sparkParams.sub(localParams).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5, "max |spark - local| = " + maxDiff);
    }

    /** Plain DL4J fit of {@code net} on consecutive minibatches of {@code batch} examples of {@code data}. */
    static void localFit(ComputationGraph net, List<Example> data, int batch) {
        for (int start = 0; start < data.size(); start += batch) {
            List<DataSet> mb = new ArrayList<>();
            for (int i = start; i < Math.min(start + batch, data.size()); i++) {
                mb.add(toDataSet(data.get(i)));
            }
            net.fit(DataSet.merge(mb));
        }
    }

    /**
     * Two workers (local[2]), averaging every k = 2 minibatches of 3, one round of 12 examples: the RoundPartitioner
     * gives worker 0 positions 0-5 and worker 1 positions 6-11, so after the round the parameters must be the
     * element-wise mean of two plain local fits from the same start (fresh updater state), each on its worker's two
     * minibatches in order.
     */
    @Test
    void twoWorkersOneRoundEqualsTheMeanOfTheirTwoLocalFits() {
        int batch = 3, k = 2;
        List<Example> data = examples(12);
        ComputationGraph first = net();
        ComputationGraph second = net();
        INDArray initial = first.params().dup();
        localFit(first, data.subList(0, 6), batch);
        localFit(second, data.subList(6, 12), batch);
        INDArray mean = first.params().add(second.params()).divi(2);
        // sequential training over all four minibatches lands elsewhere, so the comparison below can tell them apart
        ComputationGraph sequential = net();
        localFit(sequential, data, batch);
        assertTrue(sequential.params().sub(mean).amaxNumber().doubleValue() > 1e-3, "mean and sequential fit coincide");
        assertTrue(first.params().sub(second.params()).amaxNumber().doubleValue() > 1e-3, "the two workers' fits coincide");

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        List<Tuple2<Long, Example>> keyed = new ArrayList<>();
        for (int i = data.size() - 1; i >= 0; i--) {
            keyed.add(new Tuple2<>((long) i, data.get(i)));
        }
        AveragingTrainer trainer = new AveragingTrainer(sc, net(), 2, batch, k);
        assertEquals(initial, trainer.network().params(), "same initialisation");
        assertEquals(1, trainer.rounds(data.size()));
        trainer.fitEpoch(JavaPairRDD.fromJavaRDD(sc.parallelize(keyed, 3)), data.size(), AveragingTrainerTest::make,
                null, null);
        double maxDiff = trainer.network().params().sub(mean).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5, "max |spark - mean of local fits| = " + maxDiff);
    }

    @Test
    void twoWorkersSeeEveryExampleOncePerEpoch() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        List<Example> data = examples(20);
        List<Tuple2<Long, Example>> keyed = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            keyed.add(new Tuple2<>((long) i, data.get(i)));
        }
        RoundPartitioner p = new RoundPartitioner(2, 3, 2, data.size());
        // rounds of 2 workers x 2 minibatches x 3 examples = 12 examples: 20 examples -> 2 rounds
        assertEquals(2, p.rounds());
        List<List<Tuple2<Long, Example>>> parts = JavaPairRDD.fromJavaRDD(sc.parallelize(keyed, 4))
                .repartitionAndSortWithinPartitions(p).glom().collect();
        assertEquals(4, parts.size());
        long[][] expected = {{0, 1, 2, 3, 4, 5}, {6, 7, 8, 9, 10, 11}, {12, 13, 14, 15, 16, 17}, {18, 19}};
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(expected[i], parts.get(i).stream().mapToLong(Tuple2::_1).toArray(), "partition " + i);
        }
        AveragingTrainer trainer = new AveragingTrainer(sc, net(), 2, 3, 2);
        assertEquals(2, trainer.rounds(data.size()));
        assertEquals(2, trainer.rounds(24));
        assertEquals(3, trainer.rounds(25));
        assertEquals(1, trainer.rounds(0), "an empty epoch still has its one (empty) round");
        INDArray before = trainer.network().params().dup();
        double score = trainer.fitEpoch(JavaPairRDD.fromJavaRDD(sc.parallelize(keyed, 2)), data.size(),
                AveragingTrainerTest::make, null, null);
        assertTrue(Double.isFinite(score) && score > 0, "score " + score);
        assertNotEquals(before, trainer.network().params());
    }

    record SegExample(float[] image, float[] classes, float[] points) implements Serializable {
        MultiDataSet toMds() {
            int cells = classes.length;
            return new org.nd4j.linalg.dataset.MultiDataSet(
                    new INDArray[]{Nd4j.create(image, new long[]{1, 3, 16, 16})},
                    new INDArray[]{Nd4j.create(classes, new long[]{1, cells}), Nd4j.create(points, new long[]{1, cells})});
        }
    }

    /** The segmentation net's two losses (pixel CE and the cross-image triplet loss) through the same averaging. */
    @Test
    void oneWorkerMultiDataSetTrainingEqualsALocalFitOfTheSegmentationNet() {
        Random rnd = new Random(11);
        List<SegExample> data = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            float[] x = new float[3 * 16 * 16];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian();
            }
            float[] cls = new float[4];
            float[] pts = new float[4];
            for (int c = 0; c < 4; c++) {
                cls[c] = rnd.nextInt(3);
                pts[c] = c < 2 ? cls[c] : 255; // two annotated cells per image: triplets across the minibatch
            }
            data.add(new SegExample(x, cls, pts));
        }
        TrainingHyper hyper = new TrainingHyper("sgd", 0.01, 0.9, 5e-4, 10);
        ComputationGraph local = SegNets.small(2, 5, hyper);
        INDArray initial = local.params().dup();
        for (int start = 0; start < data.size(); start += 3) {
            List<MultiDataSet> mb = new ArrayList<>();
            for (int i = start; i < start + 3; i++) {
                mb.add(data.get(i).toMds());
            }
            local.fit(org.nd4j.linalg.dataset.MultiDataSet.merge(mb));
        }
        assertTrue(local.params().sub(initial).norm2Number().doubleValue() > 1e-3, "training moved the parameters");

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        List<Tuple2<Long, SegExample>> keyed = new ArrayList<>();
        for (int i = data.size() - 1; i >= 0; i--) {
            keyed.add(new Tuple2<>((long) i, data.get(i)));
        }
        AveragingTrainer trainer = new AveragingTrainer(sc, SegNets.small(2, 5, hyper), 1, 3, 1);
        assertEquals(initial, trainer.network().params(), "same initialisation");
        trainer.fitEpochMulti(JavaPairRDD.fromJavaRDD(sc.parallelize(keyed, 2)), data.size(), it -> {
            List<MultiDataSet> out = new ArrayList<>();
            it.forEachRemaining(t -> out.add(t._2().toMds()));
            return out.iterator();
        }, null, null);
        double maxDiff = trainer.network().params().sub(local.params()).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5, "max |spark - local| = " + maxDiff);
    }

    static Iterator<DataSet> make(Iterator<Tuple2<Long, Example>> it) {
        List<DataSet> out = new ArrayList<>();
        it.forEachRemaining(t -> out.add(toDataSet(t._2())));
        return out.iterator();
    }
}
