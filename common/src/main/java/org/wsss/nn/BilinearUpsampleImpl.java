package org.wsss.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link BilinearUpsample}. Bilinear resampling is separable and linear: out = R_h . X . R_w^T per
 * channel, with R the (size*f, size) interpolation matrix of one axis, so forward and backward are two matrix
 * products each (backward: dX = R_h^T . dOut . R_w), which run on any ND4J backend.
 */
public class BilinearUpsampleImpl extends ParamFreeLayerImpl<BilinearUpsample> {

    public BilinearUpsampleImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Type.CONVOLUTIONAL);
    }

    /**
     * The (size * factor, size) matrix whose row i holds the weights of output cell i over the source cells:
     * source coordinate s = (i + 0.5) / factor - 0.5 clamped to [0, size - 1], weight 1 - frac on floor(s) and
     * frac on the next cell.
     */
    public static double[][] interpolation(int size, int factor) {
        double[][] r = new double[size * factor][size];
        for (int i = 0; i < size * factor; i++) {
            double s = Math.min(size - 1, Math.max(0.0, (i + 0.5) / factor - 0.5));
            int lo = (int) Math.floor(s);
            int hi = Math.min(lo + 1, size - 1);
            double frac = s - lo;
            r[i][lo] += 1 - frac;
            r[i][hi] += frac;
        }
        return r;
    }

    private INDArray matrix(int size, DataType type) {
        return Nd4j.createFromArray(interpolation(size, layerConf().getFactor())).castTo(type);
    }

    private void requireRank4(INDArray a, String what) {
        if (a.rank() != 4) {
            throw new IllegalArgumentException("BilinearUpsample '" + layerConf().getLayerName() + "' needs " + what
                    + " [N, C, h, w], got " + Arrays.toString(a.shape()));
        }
    }

    /**
     * Applies a (rowsOut, rowsIn) matrix along axis 2 and a (colsOut, colsIn) matrix along axis 3 of x [N, C,
     * rowsIn, colsIn], writing [N, C, rowsOut, colsOut] into {@code out}.
     */
    private static void apply(INDArray x, INDArray rows, INDArray cols, INDArray out) {
        long planes = x.size(0) * x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        long ho = rows.size(0);
        long wo = cols.size(0);
        INDArray alongW = x.dup('c').reshape('c', planes * h, w).mmul(cols.transpose());
        INDArray transposed = alongW.reshape('c', planes, h, wo).permute(0, 2, 1).dup('c').reshape('c', planes * wo, h);
        INDArray alongH = transposed.mmul(rows.transpose());
        out.reshape('c', planes, ho, wo).assign(alongH.reshape('c', planes, wo, ho).permute(0, 2, 1));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        requireRank4(input, "input");
        int f = layerConf().getFactor();
        DataType type = input.dataType();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, type,
                new long[]{input.size(0), input.size(1), input.size(2) * f, input.size(3) * f}, 'c');
        apply(input, matrix((int) input.size(2), type), matrix((int) input.size(3), type), out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireRank4(epsilon, "epsilon");
        DataType type = input.dataType();
        INDArray dInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, input.shape(), 'c');
        // the transposed matrices map the output grid back onto the input grid
        apply(epsilon.castTo(type), matrix((int) input.size(2), type).transpose(),
                matrix((int) input.size(3), type).transpose(), dInput);
        return new Pair<>(new DefaultGradient(), dInput);
    }
}
