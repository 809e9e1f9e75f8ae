package org.wsss.irn;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wsss.nn.ParamFreeLayerImpl;

/** Runtime of {@link BoundaryAffinityLayer}: one image at a time (images in parallel), in double precision. */
public class BoundaryAffinityLayerImpl extends ParamFreeLayerImpl<BoundaryAffinityLayer> {

    public BoundaryAffinityLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Type.CONVOLUTIONAL);
    }

    private double[][] boundaries() {
        if (input.rank() != 4 || input.size(1) != 1) {
            throw new IllegalArgumentException("BoundaryAffinityLayer '" + layerConf().getLayerName()
                    + "' needs a boundary map [N, 1, h, w], got " + Arrays.toString(input.shape()));
        }
        double[][] maps = new double[(int) input.size(0)][];
        for (int n = 0; n < maps.length; n++) {
            INDArray one = input.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            maps[n] = Nd4j.toFlattened('c', one).toDoubleVector();
        }
        return maps;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        double[][] maps = boundaries();
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        BoundaryPaths paths = BoundaryPaths.of(layerConf().getRadius());
        double[][] rows = new double[maps.length][];
        IntStream.range(0, maps.length).parallel()
                .forEach(n -> rows[n] = BoundaryAffinity.forward(maps[n], h, w, paths, null));
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), maps.length,
                (long) paths.size() * h * w);
        for (int n = 0; n < rows.length; n++) {
            out.getRow(n).assign(Nd4j.createFromArray(rows[n]).castTo(input.dataType()));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        double[][] maps = boundaries();
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        BoundaryPaths paths = BoundaryPaths.of(layerConf().getRadius());
        double[][] upstream = new double[maps.length][];
        for (int n = 0; n < maps.length; n++) {
            upstream[n] = epsilon.getRow(n).toDoubleVector();
        }
        double[][] grads = new double[maps.length][];
        IntStream.range(0, maps.length).parallel()
                .forEach(n -> grads[n] = BoundaryAffinity.backward(maps[n], h, w, paths, upstream[n]));
        INDArray dInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                input.shape(), 'c');
        for (int n = 0; n < grads.length; n++) {
            dInput.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(Nd4j.createFromArray(grads[n]).reshape(1, h, w).castTo(input.dataType()));
        }
        return new Pair<>(new DefaultGradient(), dInput);
    }
}
