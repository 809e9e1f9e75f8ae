package org.wsss.affinity;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.wsss.nn.ParamFreeLayerImpl;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime of {@link AffinityLayer}: forward a = exp(-mean_d |F_i - F_j|) and backward, with g = dL/da,
 * dL/dF_i += g * (-a/D) * sign(F_i - F_j), dL/dF_j -= the same. Written as plain loops over one image at a time
 * (images in parallel), in double precision: as a chain of ND4J view ops (34 offsets x ~10 ops) the layer took
 * longer than the whole small backbone on small grids, op overhead dominating.
 */
public class AffinityLayerImpl extends ParamFreeLayerImpl<AffinityLayer> {

    public AffinityLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType, Type.CONVOLUTIONAL);
    }

    /** One image's feature map, (depth, h, w) row-major. */
    private record Image(double[] f, int depth, int h, int w) {
    }

    private Image[] images() {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("AffinityLayer '" + layerConf().getLayerName()
                    + "' needs features [N, D, h, w], got " + Arrays.toString(input.shape()));
        }
        Image[] images = new Image[(int) input.size(0)];
        for (int n = 0; n < images.length; n++) {
            images[n] = new Image(imageValues(input, n), (int) input.size(1), (int) input.size(2),
                    (int) input.size(3));
        }
        return images;
    }

    private static double[] imageValues(INDArray batch, int n) {
        INDArray one = batch.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        return Nd4j.toFlattened('c', one).toDoubleVector();
    }

    /** Affinities (P, h, w) of one image, 0 where the target is off the grid. */
    static double[] forward(Image image, DiscOffsets offsets) {
        int h = image.h;
        int w = image.w;
        int cells = h * w;
        double[] out = new double[offsets.size() * cells];
        for (int p = 0; p < offsets.size(); p++) {
            int dy = offsets.dy()[p];
            int dx = offsets.dx()[p];
            int shift = dy * w + dx;
            int x0 = Math.max(0, -dx);
            int x1 = Math.min(w, w - dx);
            int base = p * cells;
            for (int d = 0; d < image.depth; d++) {
                int channel = d * cells;
                for (int y = 0; y + dy < h; y++) {
                    for (int x = x0; x < x1; x++) {
                        int i = channel + y * w + x;
                        out[base + y * w + x] += Math.abs(image.f[i] - image.f[i + shift]);
                    }
                }
            }
            for (int y = 0; y + dy < h; y++) {
                for (int x = x0; x < x1; x++) {
                    out[base + y * w + x] = Math.exp(-out[base + y * w + x] / image.depth);
                }
            }
        }
        return out;
    }

    /** dL/dF (depth, h, w) of one image from dL/da (P, h, w). */
    static double[] backward(Image image, DiscOffsets offsets, double[] upstream) {
        double[] a = forward(image, offsets);
        int h = image.h;
        int w = image.w;
        int cells = h * w;
        double[] grad = new double[image.f.length];
        double[] weight = new double[cells];
        for (int p = 0; p < offsets.size(); p++) {
            int dy = offsets.dy()[p];
            int dx = offsets.dx()[p];
            int shift = dy * w + dx;
            int x0 = Math.max(0, -dx);
            int x1 = Math.min(w, w - dx);
            int base = p * cells;
            for (int y = 0; y + dy < h; y++) {
                for (int x = x0; x < x1; x++) {
                    int c = y * w + x;
                    weight[c] = -upstream[base + c] * a[base + c] / image.depth;
                }
            }
            for (int d = 0; d < image.depth; d++) {
                int channel = d * cells;
                for (int y = 0; y + dy < h; y++) {
                    for (int x = x0; x < x1; x++) {
                        int i = channel + y * w + x;
                        double s = Math.signum(image.f[i] - image.f[i + shift]) * weight[y * w + x];
                        grad[i] += s;
                        grad[i + shift] -= s;
                    }
                }
            }
        }
        return grad;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Image[] images = images();
        DiscOffsets offsets = DiscOffsets.forwardHalf(layerConf().getRadius());
        double[][] rows = new double[images.length][];
        IntStream.range(0, images.length).parallel().forEach(n -> rows[n] = forward(images[n], offsets));
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(),
                images.length, rows.length == 0 ? 0 : rows[0].length);
        for (int n = 0; n < rows.length; n++) {
            out.getRow(n).assign(Nd4j.createFromArray(rows[n]).castTo(input.dataType()));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Image[] images = images();
        DiscOffsets offsets = DiscOffsets.forwardHalf(layerConf().getRadius());
        double[][] upstream = new double[images.length][];
        for (int n = 0; n < images.length; n++) {
            upstream[n] = epsilon.getRow(n).toDoubleVector();
        }
        double[][] grads = new double[images.length][];
        IntStream.range(0, images.length).parallel()
                .forEach(n -> grads[n] = backward(images[n], offsets, upstream[n]));
        INDArray dInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                input.shape(), 'c');
        for (int n = 0; n < grads.length; n++) {
            dInput.get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(Nd4j.createFromArray(grads[n]).reshape(input.size(1), input.size(2), input.size(3))
                            .castTo(input.dataType()));
        }
        return new Pair<>(new DefaultGradient(), dInput);
    }
}
