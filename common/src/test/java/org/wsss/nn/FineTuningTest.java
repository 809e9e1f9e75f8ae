package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.wsss.affinity.AffinityNets;

class FineTuningTest {

    private static DataSet batch(int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32).subi(0.5).muli(3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, classes);
        y.putScalar(0, 0, 1);
        y.putScalar(1, classes - 1, 1);
        return new DataSet(x, y);
    }

    @Test
    void withFrozenBatchNormATrainingStepKeepsEveryStatisticAndAffineAndMovesTheConvs() {
        ComputationGraph net = ClassifierNets.smallDilated(3, 1, new TrainingHyper("sgd", 0.05, 0.9, 5e-4, 10));
        // statistics and affine away from their initial values, as after ImageNet training
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                layer.getParam("mean").assign(0.2);
                layer.getParam("var").assign(2.5);
                layer.getParam("gamma").assign(1.3);
                layer.getParam("beta").assign(-0.1);
            }
        }
        ComputationGraph frozen = FineTuning.freezeBatchNorm(net);
        assertEquals(7, FineTuning.frozenBatchNorms(frozen));
        assertEquals(net.params(), frozen.params(), "parameters carried over");
        DataSet ds = batch(3, 4);
        INDArray before = frozen.params().dup();
        INDArray inferenceBefore = frozen.outputSingle(false, ds.getFeatures());
        assertTrue(inferenceBefore.equalsWithEps(net.outputSingle(false, ds.getFeatures()), 1e-6), "same function");

        frozen.fit(ds);
        frozen.fit(ds);

        for (Layer layer : frozen.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                assertEquals(Set.of("gamma", "beta", "mean", "var"), layer.paramTable().keySet());
                assertTrue(layer.getParam("mean").equalsWithEps(Nd4j.valueArrayOf(layer.getParam("mean").shape(), 0.2f), 0), name);
                assertTrue(layer.getParam("var").equalsWithEps(Nd4j.valueArrayOf(layer.getParam("var").shape(), 2.5f), 0), name);
                assertTrue(layer.getParam("gamma").equalsWithEps(Nd4j.valueArrayOf(layer.getParam("gamma").shape(), 1.3f), 0), name);
                assertTrue(layer.getParam("beta").equalsWithEps(Nd4j.valueArrayOf(layer.getParam("beta").shape(), -0.1f), 0), name);
            } else if (name.startsWith("conv")) {
                assertFalse(layer.getParam("W").equalsWithEps(net.getLayer(name).getParam("W"), 1e-7), name + " trains");
            }
        }
        assertFalse(before.equalsWithEps(frozen.params(), 1e-7));
    }

    /** With batch norm fixed, training mode computes what inference computes, so the gradient is checkable. */
    @Test
    void frozenBatchNormBackpropagatesTheGradientOfItsFixedAffineMap() {
        var g = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).updater(new Sgd(0.1)).seed(1)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer("conv", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(false).build(), "conv")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs("out");
        ComputationGraph plain = new ComputationGraph(g.build());
        plain.init();
        plain.getLayer("bn").getParam("mean").assign(Nd4j.create(new double[] {0.3, -0.2, 0.5}).reshape(1, 3));
        plain.getLayer("bn").getParam("var").assign(Nd4j.create(new double[] {2.0, 0.5, 1.5}).reshape(1, 3));
        plain.getLayer("bn").getParam("gamma").assign(Nd4j.create(new double[] {1.5, 0.7, -1.1}).reshape(1, 3));
        ComputationGraph net = FineTuning.freezeBatchNorm(plain);
        Nd4j.getRandom().setSeed(5);
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 3, 2, 4, 4), Nd4j.rand(DataType.DOUBLE, 3, 1));
        net.setInputs(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        INDArray grad = net.gradient().getGradientFor("conv_W").dup();
        INDArray w = net.getLayer("conv").getParam("W");
        double h = 1e-6;
        for (int i = 0; i < w.length(); i++) {
            double orig = w.getDouble(i);
            w.putScalar(i, orig + h);
            double plus = net.score(ds, true);
            w.putScalar(i, orig - h);
            double minus = net.score(ds, true);
            w.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * h);
            // DL4J's gradient sums over the 3 examples, its score is their mean
            assertEquals(numeric, grad.getDouble(i) / 3, 1e-6 + 1e-5 * Math.abs(numeric), "conv_W[" + i + "]");
        }
    }

    @Test
    void aSavedModelWithFrozenBatchNormsRestoresThem() {
        ComputationGraph frozen = FineTuning.freezeBatchNorm(ClassifierNets.smallDilated(2, 1));
        ComputationGraph back = ModelZip.fromBytes(ModelZip.toBytes(frozen, true), true);
        assertEquals(7, FineTuning.frozenBatchNorms(back));
        assertEquals(frozen.params(), back.params());
    }

    /**
     * One plain SGD step (no momentum, no weight decay) moves each parameter by its rate x its gradient / batch size
     * (DL4J's gradient is a sum over the batch): update / gradient is lr / N for backbone layers and 10x that for
     * the new layers.
     */
    @Test
    void headLayersMoveTenTimesAsFarPerUnitGradientAsTheBackbone() {
        TrainingHyper hyper = new TrainingHyper("sgd", 0.01, 0.0, 0.0, 10);
        ComputationGraph classifier = ClassifierNets.smallDilated(3, 1, hyper);
        assertRatios(classifier, batch(3, 2), Set.of(ClassifierNets.SCORES), 0.01);

        ComputationGraph affinity = AffinityNets.small(8, 2, 1, hyper);
        int grid = (int) AffinityNets.features(affinity, Nd4j.zeros(1, 3, 32, 32)).height();
        byte[] labels = new byte[grid * grid];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % grid < grid / 2 ? 0 : 1);
        }
        float[] codes = AffinityNets.labelsFor(labels, grid, grid, 2);
        Nd4j.getRandom().setSeed(8);
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32), Nd4j.create(codes, new long[] {1, codes.length}));
        Set<String> backbone = layerNames(ClassifierNets.smallDilated(1, 1, hyper));
        backbone.remove(ClassifierNets.SCORES);
        Set<String> head = layerNames(affinity);
        head.removeAll(backbone);
        assertFalse(head.isEmpty());
        assertRatios(affinity, ds, head, 0.01);
    }

    private static Set<String> layerNames(ComputationGraph net) {
        Set<String> out = new java.util.HashSet<>();
        for (Layer layer : net.getLayers()) {
            if (layer.numParams() > 0) {
                out.add(layer.conf().getLayer().getLayerName());
            }
        }
        return out;
    }

    private static void assertRatios(ComputationGraph net, DataSet ds, Set<String> head, double lr) {
        net.setInputs(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        Map<String, INDArray> grads = new java.util.HashMap<>();
        net.gradient().gradientForVariable().forEach((k, v) -> grads.put(k, v.dup()));
        INDArray before = net.params().dup();
        Map<String, INDArray> old = net.paramTable(true);
        Map<String, INDArray> oldCopy = new java.util.HashMap<>();
        old.forEach((k, v) -> oldCopy.put(k, v.dup()));
        net.fit(ds);
        int checked = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            String key = e.getKey();
            if (!key.endsWith("_W")) {
                continue;
            }
            String layer = key.substring(0, key.length() - 2);
            INDArray g = grads.get(key);
            INDArray moved = oldCopy.get(key).sub(e.getValue());
            // the entry with the largest gradient, far from rounding noise
            int i = Nd4j.argMax(Transforms.abs(g.reshape(g.length()))).getInt(0);
            double ratio = moved.reshape(moved.length()).getDouble(i) / g.reshape(g.length()).getDouble(i);
            double expected = (head.contains(layer) ? 10 * lr : lr) / ds.numExamples();
            assertEquals(expected, ratio, 1e-3 * expected, key + " update / gradient");
            checked++;
        }
        assertTrue(checked >= head.size() + 1, "backbone and head weights checked");
        assertFalse(before.equals(net.params()));
    }
}
