package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J zoo ResNet-50 weights (the zoo builder's names, and Keras' names) into the zoo-layout ResNet-50. */
class ZooWeightsTest {
    @TempDir
    Path tmp;

    /** The zoo's own graph with every parameter random (its fresh BN statistics would equal ours). */
    private static ComputationGraph randomZoo() {
        ComputationGraph zoo = (ComputationGraph) ResNet50.builder().numClasses(1000).seed(7).build().init();
        Nd4j.getRandom().setSeed(11);
        INDArray p = Nd4j.rand(DataType.FLOAT, 1, zoo.numParams()).subi(0.5).muli(0.2);
        zoo.setParams(p);
        return zoo;
    }

    @Test
    void everyZooBackboneParameterIsCopiedAndEachBatchNormNormalisesAsTheZoos() throws IOException {
        ComputationGraph zoo = randomZoo();
        File zip = tmp.resolve("resnet50_zoo.zip").toFile();
        ModelSerializer.writeModel(zoo, zip, false);
        ComputationGraph ours = ClassifierNets.resnet50Zoo(5, 16, 1);

        PretrainedInit.CopyReport report = PretrainedInit.fromFile(zip, ours);

        int backboneArrays = 0;
        for (Layer layer : zoo.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (name.equals("output")) {
                continue;
            }
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                backboneArrays++;
                if (e.getKey().equals("log10stdev")) {
                    // DL4J's log-std batch norm normalises by 10^l = sqrt(var + eps), eps 1e-5 in both nets
                    double[] l = e.getValue().toDoubleVector();
                    double[] var = ours.getLayer(name).getParam("var").toDoubleVector();
                    for (int i = 0; i < l.length; i++) {
                        double expected = Math.pow(10, 2 * l[i]) - 1e-5;
                        assertEquals(expected, var[i], 1e-6 * expected, name + "/var[" + i + "]");
                    }
                } else {
                    assertEquals(e.getValue(), ours.getLayer(name).getParam(e.getKey()), name + "/" + e.getKey());
                }
            }
        }
        assertEquals(53 * 4 + 53 * 2, backboneArrays, "53 convs with bias and 53 batch norms");
        assertEquals(backboneArrays, report.copied().size(), report.summary());
        assertEquals(List.of("scores/W (no layer of that name in source)"), report.skipped());
        assertEquals(List.of("output/W", "output/b"), report.unused().stream().sorted().toList());
        assertEquals(InputNorm.CAFFE, report.inputNorm(), "the zoo's weights expect Caffe-style input");

        // each batch norm normalises as the zoo's did (log10 std there, variance here), in inference mode
        for (Layer layer : zoo.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                String name = layer.conf().getLayer().getLayerName();
                long c = layer.getParam("gamma").length();
                INDArray x = Nd4j.rand(DataType.FLOAT, 2, c, 3, 3).subi(0.5).muli(4);
                INDArray expected = inference(layer, x);
                INDArray got = inference(ours.getLayer(name), x);
                assertTrue(expected.equalsWithEps(got, 1e-4), name);
            }
        }
    }

    private static INDArray inference(Layer layer, INDArray x) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x.dup(), mgr);
        return layer.activate(false, mgr).dup();
    }

    /**
     * A graph named as DL4J's Keras import names Keras' ResNet-50 (conv1, bn_conv1, res2a_branch2a, ...) and
     * tf.keras' (conv2_block1_0_conv, ...), with Keras' batch-norm eps 1e-3: every layer lands in its layer of ours.
     */
    @Test
    void kerasNamedLayersCopyIntoTheirZooNamedLayers() throws IOException {
        String[][] chain = {
                {"conv1", "stem-cnn1"}, {"bn_conv1", "stem-batch1"},
                {"res2a_branch2a", "res2a_branch2a"}, {"bn2a_branch2a", "bn2a_branch2a"},
                {"conv2_block1_0_conv", "res2a_branch1"}, {"conv2_block1_0_bn", "bn2a_branch1"}};
        ComputationGraphConfigurationBuilder b = new ComputationGraphConfigurationBuilder();
        ComputationGraph keras = b.build();
        Nd4j.getRandom().setSeed(3);
        keras.setParams(Nd4j.rand(DataType.FLOAT, 1, keras.numParams()).addi(0.05));
        File zip = tmp.resolve("keras_resnet50.zip").toFile();
        ModelSerializer.writeModel(keras, zip, false);
        ComputationGraph ours = ClassifierNets.resnet50Zoo(5, 16, 1);

        PretrainedInit.CopyReport report = PretrainedInit.fromFile(zip, ours);

        List<String> expectedCopied = new ArrayList<>();
        for (String[] pair : chain) {
            for (Map.Entry<String, INDArray> e : keras.getLayer(pair[0]).paramTable().entrySet()) {
                INDArray got = ours.getLayer(pair[1]).getParam(e.getKey());
                expectedCopied.add(pair[1] + "/" + e.getKey());
                if (e.getKey().equals("var")) {
                    // same normalising std: var + 1e-3 (Keras) = var' + 1e-5 (ours)
                    assertTrue(got.equalsWithEps(e.getValue().add(1e-3 - 1e-5), 1e-6), pair[1] + "/var");
                } else {
                    assertEquals(e.getValue(), got, pair[1] + "/" + e.getKey());
                }
            }
        }
        assertEquals(expectedCopied.stream().sorted().toList(), report.copied().stream().sorted().toList());
        assertTrue(report.unused().isEmpty(), report.summary());
        assertEquals(InputNorm.CAFFE, report.inputNorm());
    }

    /** The chain conv1 -> bn_conv1 -> res2a_branch2a -> bn2a_branch2a -> conv2_block1_0_conv -> conv2_block1_0_bn. */
    private static final class ComputationGraphConfigurationBuilder {
        ComputationGraph build() {
            var g = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                    .addInputs("input_1").setInputTypes(InputType.convolutional(32, 32, 3))
                    .addLayer("conv1", new ConvolutionLayer.Builder(7, 7).stride(2, 2).nOut(64)
                            .activation(Activation.IDENTITY).build(), "input_1")
                    .addLayer("bn_conv1", kerasBn(), "conv1")
                    .addLayer("res2a_branch2a", new ConvolutionLayer.Builder(1, 1).nOut(64)
                            .activation(Activation.IDENTITY).build(), "bn_conv1")
                    .addLayer("bn2a_branch2a", kerasBn(), "res2a_branch2a")
                    .addLayer("conv2_block1_0_conv", new ConvolutionLayer.Builder(1, 1).nOut(256)
                            .activation(Activation.IDENTITY).build(), "bn2a_branch2a")
                    .addLayer("conv2_block1_0_bn", kerasBn(), "conv2_block1_0_conv")
                    .setOutputs("conv2_block1_0_bn");
            ComputationGraph net = new ComputationGraph(g.build());
            net.init();
            return net;
        }

        private static BatchNormalization kerasBn() {
            return new BatchNormalization.Builder().eps(1e-3).useLogStd(false).build();
        }
    }
}
