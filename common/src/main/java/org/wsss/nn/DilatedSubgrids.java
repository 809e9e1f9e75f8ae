package org.wsss.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A stride-1 convolution with dilation (dH, dW) and top/left padding (qH dH, qW dW) is an undilated convolution
 * with padding (qH, qW) over each of the dH x dW interleaved sub-grids of its input (rows a, a + dH, a + 2 dH, ...):
 * output row a + dH j reads input rows a + dH (j + i - qH). So the sub-grids go into the batch dimension, one
 * undilated conv2d (or conv2d_bp, whose weight and bias gradients then sum over the sub-grids as over a batch)
 * runs, and the results go back. Sub-grids are zero-padded to equal size; positions past the real input act as
 * the conv's zero padding, positions past the real output are cropped.
 */
final class DilatedSubgrids {
    private final int dH;
    private final int dW;
    final int qH;
    final int qW;
    /** Sub-grid input and output sizes. */
    final long inH;
    final long inW;
    final long outH;
    final long outW;

    private DilatedSubgrids(int dH, int dW, int qH, int qW, long inH, long inW, long outH, long outW) {
        this.dH = dH;
        this.dW = dW;
        this.qH = qH;
        this.qW = qW;
        this.inH = inH;
        this.inW = inW;
        this.outH = outH;
        this.outW = outW;
    }

    /** The decomposition for this conv, or null where it does not apply (stride > 1, padding not a multiple). */
    static DilatedSubgrids of(int[] kernel, int[] stride, int[] dilation, int[] topLeftPad, long h, long w) {
        if (stride[0] != 1 || stride[1] != 1 || (dilation[0] == 1 && dilation[1] == 1)
                || topLeftPad[0] % dilation[0] != 0 || topLeftPad[1] % dilation[1] != 0) {
            return null;
        }
        int qH = topLeftPad[0] / dilation[0];
        int qW = topLeftPad[1] / dilation[1];
        long inH = (h + dilation[0] - 1) / dilation[0];
        long inW = (w + dilation[1] - 1) / dilation[1];
        long outH = inH + 2L * qH - kernel[0] + 1;
        long outW = inW + 2L * qW - kernel[1] + 1;
        return outH < 1 || outW < 1 ? null
                : new DilatedSubgrids(dilation[0], dilation[1], qH, qW, inH, inW, outH, outW);
    }

    /** [N, C, rows, cols] -> [dH dW N, C, subRows, subCols], zero-padded. */
    INDArray split(INDArray x, long subRows, long subCols) {
        long n = x.size(0);
        long c = x.size(1);
        INDArray padded = x;
        if (x.size(2) != subRows * dH || x.size(3) != subCols * dW) {
            padded = Nd4j.zeros(x.dataType(), n, c, subRows * dH, subCols * dW);
            padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, x.size(2)),
                    NDArrayIndex.interval(0, x.size(3))).assign(x);
        }
        return padded.reshape('c', n, c, subRows, dH, subCols, dW).permute(3, 5, 0, 1, 2, 4).dup('c')
                .reshape('c', (long) dH * dW * n, c, subRows, subCols);
    }

    /** [dH dW N, C, subRows, subCols] -> [N, C, rows, cols] (cropped), the inverse of {@link #split}. */
    INDArray merge(INDArray s, long rows, long cols) {
        long n = s.size(0) / ((long) dH * dW);
        long c = s.size(1);
        long subRows = s.size(2);
        long subCols = s.size(3);
        INDArray full = s.reshape('c', dH, dW, n, c, subRows, subCols).permute(2, 3, 4, 0, 5, 1).dup('c')
                .reshape('c', n, c, subRows * dH, subCols * dW);
        return full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, rows),
                NDArrayIndex.interval(0, cols));
    }
}
