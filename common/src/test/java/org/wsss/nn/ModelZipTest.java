package org.wsss.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ModelZipTest {

    @Test
    void bytesRoundTripKeepsConfigurationParametersAndUpdaterState() {
        ComputationGraph net = ClassifierNets.smallDilated(3, 4, new TrainingHyper("sgd", 0.01, 0.9, 1e-4, 10));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 24, 24);
        net.fit(new DataSet(x, Nd4j.create(new float[][] {{1, 0, 1}, {0, 1, 0}})));

        ComputationGraph back = ModelZip.fromBytes(ModelZip.toBytes(net, true), true);
        assertEquals(net.getConfiguration().toJson(), back.getConfiguration().toJson());
        assertEquals(net.params(), back.params());
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertTrue(net.outputSingle(x).equalsWithEps(back.outputSingle(x), 1e-6));
        assertEquals(0.1, back.getLearningRate(ClassifierNets.SCORES), 1e-12);
    }

    @Test
    void otherBytesAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelZip.fromBytes(new byte[] {1, 2, 3}, false));
        assertTrue(e.getMessage().contains("not a DL4J ComputationGraph zip"), e.getMessage());
    }
}
