package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class PretrainedInitTest {
    @TempDir
    Path tmp;

    /** A small net trained for two steps, so weights and batch-norm statistics are not their initial values. */
    private static ComputationGraph trained(int numClasses, long seed) {
        ComputationGraph net = ClassifierNets.smallDilated(numClasses, seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, numClasses);
        y.putScalar(0, 0, 1);
        net.fit(new DataSet(x, y));
        net.fit(new DataSet(x, y));
        return net;
    }

    @Test
    void savedModelLoadsIntoAFreshNetLayerByLayer() throws IOException {
        ComputationGraph source = trained(6, 1);
        File zip = tmp.resolve("small.zip").toFile();
        ModelSerializer.writeModel(source, zip, false);

        ComputationGraph target = ClassifierNets.smallDilated(6, 2);
        assertFalse(source.params().equalsWithEps(target.params(), 1e-6), "different seeds start apart");
        PretrainedInit.CopyReport report = PretrainedInit.fromFile(zip, target);

        int arrays = 0;
        for (Layer layer : source.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                arrays++;
                assertEquals(p.getValue(), target.getLayer(name).getParam(p.getKey()), name + "/" + p.getKey());
            }
        }
        assertEquals(arrays, report.copied().size());
        assertTrue(report.skipped().isEmpty(), report.summary());
        assertTrue(report.copied().contains("bn4/var") && report.copied().contains("scores/W"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 40, 40);
        assertTrue(source.outputSingle(x).equalsWithEps(target.outputSingle(x), 1e-6), "same function");
    }

    @Test
    void aLayerWithAnotherShapeIsSkippedAndReported() {
        ComputationGraph source = trained(4, 1);
        ComputationGraph target = ClassifierNets.smallDilated(6, 2);
        INDArray headBefore = target.getLayer(ClassifierNets.SCORES).getParam("W").dup();
        PretrainedInit.CopyReport report = PretrainedInit.copyMatching(source, target);

        assertEquals(1, report.skipped().size(), report.summary());
        assertTrue(report.skipped().get(0).startsWith("scores/W (shape [128, 4] in source, [128, 6] in target"),
                report.skipped().get(0));
        assertEquals(headBefore, target.getLayer(ClassifierNets.SCORES).getParam("W"));
        assertEquals(source.getLayer("conv7").getParam("W"), target.getLayer("conv7").getParam("W"));
        assertEquals(source.getLayer("bn7").getParam("mean"), target.getLayer("bn7").getParam("mean"));
    }

    @Test
    void layersTheSourceLacksAreReportedByName() {
        ComputationGraph source = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(16).hasBias(false).build(), "in")
                .setOutputs("conv1").build());
        source.init();
        ComputationGraph target = ClassifierNets.smallDilated(6, 2);
        PretrainedInit.CopyReport report = PretrainedInit.copyMatching(source, target);
        assertEquals(java.util.List.of("conv1/W"), report.copied());
        assertEquals(source.getLayer("conv1").getParam("W"), target.getLayer("conv1").getParam("W"));
        assertTrue(report.skipped().contains("bn1/gamma (no layer of that name in source)"), report.summary());
    }

    @Test
    void unsupportedOrMissingFilesFailWithTheReason() throws IOException {
        ComputationGraph target = ClassifierNets.smallDilated(6, 2);
        File h5 = Files.writeString(tmp.resolve("resnet50.h5"), "not really hdf5").toFile();
        IllegalArgumentException keras = assertThrows(IllegalArgumentException.class,
                () -> PretrainedInit.fromFile(h5, target));
        assertTrue(keras.getMessage().contains("Keras") && keras.getMessage().contains("not bundled"), keras.getMessage());

        File missing = tmp.resolve("absent.zip").toFile();
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> PretrainedInit.fromFile(missing, target));
        assertTrue(absent.getMessage().contains(missing.getPath()), absent.getMessage());

        File junk = Files.writeString(tmp.resolve("junk.zip"), "plain text").toFile();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PretrainedInit.fromFile(junk, target));
        assertTrue(bad.getMessage().contains("not a DL4J ComputationGraph zip"), bad.getMessage());
    }

    /**
     * A safetensors file under another name is read as PyTorch weights (by content) and goes through the torchvision
     * name map: one that holds none of the small net's layers is refused in strict mode, naming what is missing.
     */
    @Test
    void pytorchWeightsAreRecognisedByContentAndRefusedWhenTheyDoNotCoverTheNetwork() throws IOException {
        ComputationGraph target = ClassifierNets.resnet("resnet50", 4, 16, 1, TrainingHyper.resnetDefaults());
        byte[] header = "{\"__metadata__\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer st = java.nio.ByteBuffer.allocate(8 + header.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        st.putLong(header.length).put(header);
        File safetensors = Files.write(tmp.resolve("resnet50.bin"), st.array()).toFile();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PretrainedInit.fromFile(safetensors, target));
        assertTrue(e.getMessage().contains("model.pretrained-strict = true") && e.getMessage().contains("conv1.weight"),
                e.getMessage());
        PretrainedInit.CopyReport lenient = PretrainedInit.fromFile(safetensors, target, false);
        assertEquals(0, lenient.copied().size());
        assertEquals(InputNorm.TORCHVISION, lenient.inputNorm());
    }
}
