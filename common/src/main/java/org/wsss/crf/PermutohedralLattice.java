package org.wsss.crf;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Gaussian filtering in a d-dimensional feature space on the permutohedral lattice (Adams, Baek &amp; Davis
 * 2010): each point is splatted onto the d+1 vertices of its enclosing simplex with barycentric weights,
 * the lattice values are blurred with [1 2 1]/2 along each of the d+1 lattice directions, and the result is
 * sliced back with the same weights. It approximates out_i = sum_j exp(-|f_i - f_j|^2 / 2) in_j (the j = i
 * term included) in O(n * d^2 + lattice size * d) per value channel, instead of O(n^2).
 *
 * <p>The lattice is built once from the features and can then filter any number of signals. Values are
 * point-major: point i's channel l is {@code values[i * valueSize + l]}. Scratch buffers are kept between
 * calls, so an instance is not thread-safe.
 */
public final class PermutohedralLattice {
    private final int numPoints;
    private final int dim;
    private final int latticeSize;
    /** Lattice row (1-based; row 0 is a permanently zero row for absent neighbours) of each simplex vertex. */
    private final int[] vertexRows;
    /**
     * Vertex slots per point: d+1 rounded up to a multiple of 3 (padding slots have row 0, weight 0), so
     * splat and slice handle three vertices per pass over a point's values (d = 2 and 5 need no padding).
     */
    private final int slots;
    private final float[] vertexWeights;
    /** For direction j and lattice point e: rows of the two neighbours at (j * size + e) * 2 and +1. */
    private final int[] neighbourRows;
    /** Scale of the [1 2 1]/2 blur's total response, so a unit impulse keeps roughly unit peak weight. */
    private final float sliceScale;
    private float[] bufferA = new float[0];
    private float[] bufferB = new float[0];
    /** Per-task splat buffers of the parallel filter. */
    private float[][] partBuffers;

    /**
     * @param features point-major features, {@code features[i * dim + k]}, already divided by the kernel's
     *                 standard deviation per dimension
     */
    public PermutohedralLattice(float[] features, int numPoints, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("feature dimension must be >= 1, got " + dim);
        }
        if (numPoints < 0 || features.length != (long) numPoints * dim) {
            throw new IllegalArgumentException("features has " + features.length + " values for " + numPoints
                    + " points of dimension " + dim);
        }
        this.numPoints = numPoints;
        this.dim = dim;
        this.sliceScale = (float) (1.0 / (1.0 + Math.pow(2, -dim)));
        slots = (dim + 1 + 2) / 3 * 3;
        vertexRows = new int[numPoints * slots];
        vertexWeights = new float[numPoints * slots];
        LatticeKeyTable table = new LatticeKeyTable(dim, Math.max(16, numPoints / 4));
        embed(features, table);
        latticeSize = table.size();
        neighbourRows = new int[(dim + 1) * latticeSize * 2];
        linkNeighbours(table);
    }

    public int numPoints() {
        return numPoints;
    }

    public int dimension() {
        return dim;
    }

    /** Number of occupied lattice points (the cost of one blur pass is proportional to it). */
    public int latticeSize() {
        return latticeSize;
    }

    /** {@code out = K in}, K the approximate Gaussian kernel matrix over the points. */
    public void filter(float[] in, float[] out, int valueSize) {
        Arrays.fill(out, 0, numPoints * valueSize, 0f);
        filterAccumulate(in, null, out, null, valueSize);
    }

    /**
     * {@code out_i += outScale_i * sum_j K_ij inScale_j in_j}; a null scale means all ones. Folding the
     * scales into the splat and slice saves two passes over the values per call.
     */
    public void filterAccumulate(float[] in, float[] inScale, float[] out, float[] outScale, int valueSize) {
        filterAccumulate(in, inScale, out, outScale, valueSize, 1, IN_ORDER);
    }

    /**
     * {@link #filterAccumulate} with the work split into {@code parts} ranges run by {@code fork}. The splat
     * scatters into overlapping lattice rows, so with more than one part each part splats its points into a buffer
     * of its own and the buffers are summed row by row, each row's partial sums added in part order; blur and slice
     * write disjoint rows per range. For a given {@code parts} the result does not depend on which thread runs what.
     */
    void filterAccumulate(float[] in, float[] inScale, float[] out, float[] outScale, int vs, int parts,
                          Fork fork) {
        check(in, out, vs);
        int rows = (latticeSize + 1) * vs;
        if (bufferA.length < rows) {
            bufferA = new float[rows];
            bufferB = new float[rows];
        }
        if (parts <= 1) {
            Arrays.fill(bufferA, 0, rows, 0f);
            splat(in, inScale, bufferA, vs, 0, numPoints);
        } else {
            if (partBuffers == null || partBuffers.length < parts || partBuffers[0].length < rows) {
                partBuffers = new float[parts][rows];
            }
            float[][] partial = partBuffers;
            fork.run(parts, t -> {
                Arrays.fill(partial[t], 0, rows, 0f);
                splat(in, inScale, partial[t], vs, bound(numPoints, t, parts), bound(numPoints, t + 1, parts));
            });
            fork.run(parts, t -> {
                int from = bound(latticeSize + 1, t, parts) * vs;
                int to = bound(latticeSize + 1, t + 1, parts) * vs;
                System.arraycopy(partial[0], from, bufferA, from, to - from);
                for (int q = 1; q < parts; q++) {
                    float[] p = partial[q];
                    for (int i = from; i < to; i++) {
                        bufferA[i] += p[i];
                    }
                }
            });
        }
        float[] src = bufferA;
        float[] dst = bufferB;
        for (int j = 0; j <= dim; j++) {
            float[] s = src;
            float[] d = dst;
            int direction = j;
            fork.run(parts, t -> blurDirection(s, d, vs, direction, bound(latticeSize, t, parts),
                    bound(latticeSize, t + 1, parts)));
            src = d;
            dst = s;
        }
        float[] blurred = src;
        fork.run(parts, t -> slice(blurred, out, outScale, vs, bound(numPoints, t, parts),
                bound(numPoints, t + 1, parts)));
    }

    /** Runs {@code task.accept(t)} for t in [0, parts), possibly concurrently, and returns when all are done. */
    interface Fork {
        void run(int parts, IntConsumer task);
    }

    /** Runs the parts one after another on the calling thread. */
    static final Fork IN_ORDER = (parts, task) -> {
        for (int t = 0; t < parts; t++) {
            task.accept(t);
        }
    };

    /** Start of part t of [0, size) cut into {@code parts} contiguous ranges (t = parts gives size). */
    static int bound(int size, int t, int parts) {
        return (int) ((long) size * t / parts);
    }

    private void check(float[] in, float[] out, int valueSize) {
        if (valueSize < 1) {
            throw new IllegalArgumentException("valueSize must be >= 1, got " + valueSize);
        }
        long needed = (long) numPoints * valueSize;
        if (in.length < needed || out.length < needed) {
            throw new IllegalArgumentException("value arrays have " + in.length + " / " + out.length
                    + " entries, need " + needed + " (" + numPoints + " points x " + valueSize + ")");
        }
    }

    private void splat(float[] in, float[] inScale, float[] lattice, int vs, int fromPoint, int toPoint) {
        int[] rows = vertexRows;
        float[] weights = vertexWeights;
        for (int i = fromPoint; i < toPoint; i++) {
            float s = inScale == null ? 1f : inScale[i];
            int src = i * vs;
            for (int v = i * slots, end = v + slots; v < end; v += 3) {
                int a = rows[v] * vs;
                int b = rows[v + 1] * vs;
                int c = rows[v + 2] * vs;
                float wa = weights[v] * s;
                float wb = weights[v + 1] * s;
                float wc = weights[v + 2] * s;
                for (int l = 0; l < vs; l++) {
                    float x = in[src + l];
                    lattice[a + l] += wa * x;
                    lattice[b + l] += wb * x;
                    lattice[c + l] += wc * x;
                }
            }
        }
        // padding vertices point at row 0 with weight 0; clear what 0 * (inf or NaN) may have left there
        Arrays.fill(lattice, 0, vs, 0f);
    }

    /** One [1 2 1]/2 pass along direction j for lattice points [from, to). Row 0 (absent neighbours) stays zero. */
    private void blurDirection(float[] src, float[] dst, int vs, int j, int from, int to) {
        int nb = j * latticeSize * 2;
        for (int e = from; e < to; e++) {
            int o = (e + 1) * vs;
            int n1 = neighbourRows[nb + 2 * e] * vs;
            int n2 = neighbourRows[nb + 2 * e + 1] * vs;
            for (int l = 0; l < vs; l++) {
                dst[o + l] = src[o + l] + 0.5f * (src[n1 + l] + src[n2 + l]);
            }
        }
    }

    private void slice(float[] lattice, float[] out, float[] outScale, int vs, int fromPoint, int toPoint) {
        int[] rows = vertexRows;
        float[] weights = vertexWeights;
        for (int i = fromPoint; i < toPoint; i++) {
            float s = sliceScale * (outScale == null ? 1f : outScale[i]);
            int dst = i * vs;
            for (int v = i * slots, end = v + slots; v < end; v += 3) {
                int a = rows[v] * vs;
                int b = rows[v + 1] * vs;
                int c = rows[v + 2] * vs;
                float wa = weights[v] * s;
                float wb = weights[v + 1] * s;
                float wc = weights[v + 2] * s;
                for (int l = 0; l < vs; l++) {
                    out[dst + l] += wa * lattice[a + l] + wb * lattice[b + l] + wc * lattice[c + l];
                }
            }
        }
    }

    /**
     * Lifts each point onto the hyperplane sum = 0 of R^(d+1) (scaled so the lattice blur matches a unit
     * Gaussian), finds the enclosing simplex from the nearest remainder-0 lattice point and the ordering of
     * the residual, and records its d+1 vertices and barycentric weights.
     */
    private void embed(float[] features, LatticeKeyTable table) {
        int d = dim;
        int d1 = d + 1;
        float[] scale = new float[d];
        double invStd = Math.sqrt(2.0 / 3.0) * d1;
        for (int k = 0; k < d; k++) {
            scale[k] = (float) (invStd / Math.sqrt((k + 1.0) * (k + 2.0)));
        }
        float[] elevated = new float[d1];
        int[] rem0 = new int[d1];
        int[] rank = new int[d1];
        float[] bary = new float[d1 + 1];
        int[] key = new int[d];
        float down = 1f / d1;
        for (int i = 0; i < numPoints; i++) {
            int base = i * d;
            float sum = 0f;
            for (int k = d; k > 0; k--) {
                float cf = features[base + k - 1] * scale[k - 1];
                elevated[k] = sum - k * cf;
                sum += cf;
            }
            elevated[0] = sum;

            int offPlane = 0;
            for (int k = 0; k < d1; k++) {
                float v = elevated[k] * down;
                int q = (int) Math.floor(v);
                if (v - q > 0.5f) {
                    q++;
                }
                rem0[k] = q * d1;
                offPlane += q;
            }

            Arrays.fill(rank, 0);
            for (int k = 0; k < d; k++) {
                float dk = elevated[k] - rem0[k];
                for (int j = k + 1; j < d1; j++) {
                    if (dk < elevated[j] - rem0[j]) {
                        rank[k]++;
                    } else {
                        rank[j]++;
                    }
                }
            }
            // the rounded point may lie off the plane; shifting the ranks moves it back onto a valid vertex
            for (int k = 0; k < d1; k++) {
                rank[k] += offPlane;
                if (rank[k] < 0) {
                    rank[k] += d1;
                    rem0[k] += d1;
                } else if (rank[k] > d) {
                    rank[k] -= d1;
                    rem0[k] -= d1;
                }
            }

            Arrays.fill(bary, 0f);
            for (int k = 0; k < d1; k++) {
                float v = (elevated[k] - rem0[k]) * down;
                bary[d - rank[k]] += v;
                bary[d - rank[k] + 1] -= v;
            }
            bary[0] += 1f + bary[d1];

            for (int r = 0; r < d1; r++) {
                for (int k = 0; k < d; k++) {
                    key[k] = rem0[k] + (rank[k] <= d - r ? r : r - d1);
                }
                vertexRows[i * slots + r] = table.findOrInsert(key) + 1;
                vertexWeights[i * slots + r] = bary[r];
            }
        }
    }

    /** Neighbours along direction j differ by +-(d+1) in coordinate j and -+1 in every other coordinate. */
    private void linkNeighbours(LatticeKeyTable table) {
        int d = dim;
        int[] minus = new int[d];
        int[] plus = new int[d];
        for (int j = 0; j <= d; j++) {
            int nb = j * latticeSize * 2;
            for (int e = 0; e < latticeSize; e++) {
                for (int k = 0; k < d; k++) {
                    int c = table.coordinate(e, k);
                    minus[k] = c - 1;
                    plus[k] = c + 1;
                }
                if (j < d) {
                    int c = table.coordinate(e, j);
                    minus[j] = c + d;
                    plus[j] = c - d;
                }
                neighbourRows[nb + 2 * e] = table.find(minus) + 1;
                neighbourRows[nb + 2 * e + 1] = table.find(plus) + 1;
            }
        }
    }
}
