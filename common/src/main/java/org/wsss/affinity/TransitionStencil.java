package org.wsss.affinity;

import java.util.Arrays;

/**
 * The random-walk transition T as a stencil. T[i][j] = W[i][j] / sum_k W[k][j] with W = A^beta symmetric, so
 * one step v'[j] = sum_i v[i] T[i][j] = (sum_i W[j][i] v[i]) / s_j with s_j the j-th row (= column) sum:
 * a weighted average over the disc around j. Kept as one weight per cell and tap (self + full disc),
 * {@code W[j][j + tap] / s_j}: memory O(N * taps), never N².
 *
 * <p>Layout for HotSpot's auto-vectoriser, which (Java 17) only vectorises a loop whose arrays are all read at
 * the same index: the grid is cut into blocks of whole rows, weights are stored per block and tap; a step
 * copies each tap's neighbour values for the block out of a zero-padded plane into a scratch array (one
 * arraycopy), then runs {@code out[k] += w[k] * scratch[k]} over the block, three taps per loop (the most it
 * still vectorises). Off-grid neighbours read padding or a wrapped-around cell, both times a zero weight.
 */
final class TransitionStencil {

    /** Cells per block: the arrays one loop touches (8 of them) stay in a 32 KB L1 cache. */
    private static final int BLOCK_CELLS = 768;

    private final int height;
    private final int width;
    private final int padY;
    private final int padX;
    private final int[] shift;
    private final int blockCap;
    /** blockWeights[block][tap][k]: weight of cell (block start + k) for tap; tap 0 is the cell itself. */
    private final float[][][] blockWeights;

    private TransitionStencil(int height, int width, int padY, int padX, int[] shift, int blockCap,
                              float[][][] blockWeights) {
        this.height = height;
        this.width = width;
        this.padY = padY;
        this.padX = padX;
        this.shift = shift;
        this.blockCap = blockCap;
        this.blockWeights = blockWeights;
    }

    static TransitionStencil of(AffinityField field, double beta) {
        int h = field.height();
        int w = field.width();
        int n = h * w;
        DiscOffsets half = field.offsets();
        int taps = 2 * half.size() + 1;
        int[] shift = new int[taps];
        float[][] planes = new float[taps][n];
        double[] rowSum = new double[n];
        Arrays.fill(rowSum, 1.0);
        int padY = 0;
        int padX = 0;
        for (int o = 0; o < half.size(); o++) {
            int fy = half.dy()[o];
            int fx = half.dx()[o];
            padY = Math.max(padY, Math.abs(fy));
            padX = Math.max(padX, Math.abs(fx));
            int forward = 1 + o;
            int backward = 1 + half.size() + o;
            shift[forward] = fy * w + fx;
            shift[backward] = -shift[forward];
            float[] a = field.planes()[o];
            for (int y = Math.max(0, -fy); y < Math.min(h, h - fy); y++) {
                for (int x = Math.max(0, -fx); x < Math.min(w, w - fx); x++) {
                    int i = y * w + x;
                    int j = i + shift[forward];
                    double wij = Math.pow(a[i], beta);
                    planes[forward][i] = (float) wij;
                    planes[backward][j] = (float) wij;
                    rowSum[i] += wij;
                    rowSum[j] += wij;
                }
            }
        }
        Arrays.fill(planes[0], 1f);
        for (float[] plane : planes) {
            for (int j = 0; j < n; j++) {
                plane[j] = (float) (plane[j] / rowSum[j]);
            }
        }
        int blockCap = Math.max(1, BLOCK_CELLS / w) * w;
        int blocks = (n + blockCap - 1) / blockCap;
        float[][][] blockWeights = new float[blocks][taps][];
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < taps; t++) {
                blockWeights[b][t] = Arrays.copyOfRange(planes[t], b * blockCap, Math.min(n, (b + 1) * blockCap));
            }
        }
        return new TransitionStencil(h, w, padY, padX, shift, blockCap, blockWeights);
    }

    /** Applies {@code steps} transitions to maps [first, first + count) of {@code maps} (planes of N) in place. */
    void walk(float[] maps, int first, int count, int steps) {
        int n = height * width;
        int taps = shift.length;
        int origin = padY * width + padX;
        int padded = (height + 2 * padY) * width + 2 * padX;
        float[][] cur = new float[count][padded];
        float[][] next = new float[count][padded];
        for (int m = 0; m < count; m++) {
            System.arraycopy(maps, (first + m) * n, cur[m], origin, n);
        }
        float[][] out = new float[count][blockCap];
        float[] s0 = new float[blockCap];
        float[] s1 = new float[blockCap];
        float[] s2 = new float[blockCap];
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < blockWeights.length; b++) {
                int start = origin + b * blockCap;
                int len = Math.min(blockCap, n - b * blockCap);
                float[][] wb = blockWeights[b];
                for (int m = 0; m < count; m++) {
                    Arrays.fill(out[m], 0, len, 0f);
                }
                int t = 0;
                for (; t + 3 <= taps; t += 3) {
                    for (int m = 0; m < count; m++) {
                        float[] src = cur[m];
                        System.arraycopy(src, start + shift[t], s0, 0, len);
                        System.arraycopy(src, start + shift[t + 1], s1, 0, len);
                        System.arraycopy(src, start + shift[t + 2], s2, 0, len);
                        threeTaps(out[m], len, wb[t], s0, wb[t + 1], s1, wb[t + 2], s2);
                    }
                }
                for (; t < taps; t++) {
                    for (int m = 0; m < count; m++) {
                        System.arraycopy(cur[m], start + shift[t], s0, 0, len);
                        oneTap(out[m], len, wb[t], s0);
                    }
                }
                for (int m = 0; m < count; m++) {
                    System.arraycopy(out[m], 0, next[m], start, len);
                }
            }
            float[][] swap = cur;
            cur = next;
            next = swap;
        }
        for (int m = 0; m < count; m++) {
            System.arraycopy(cur[m], origin, maps, (first + m) * n, n);
        }
    }

    private static void threeTaps(float[] out, int len, float[] w0, float[] s0, float[] w1, float[] s1,
                                  float[] w2, float[] s2) {
        for (int k = 0; k < len; k++) {
            out[k] += w0[k] * s0[k] + w1[k] * s1[k] + w2[k] * s2[k];
        }
    }

    private static void oneTap(float[] out, int len, float[] w0, float[] s0) {
        for (int k = 0; k < len; k++) {
            out[k] += w0[k] * s0[k];
        }
    }
}
