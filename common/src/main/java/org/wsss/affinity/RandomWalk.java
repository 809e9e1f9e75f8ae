package org.wsss.affinity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * psa's random walk (infer_aff.py) without the dense N x N transition matrix: maps . T^t is computed as t
 * applications of a sparse stencil (see {@link TransitionStencil}), O(t * N * disc * maps) time, O(N * (disc +
 * maps)) memory. Squaring T (psa's way) would not help a sparse operator: T^2 already has about four times the
 * neighbours. All grids are row-major (planes, height, width).
 */
public final class RandomWalk {

    private RandomWalk() {
    }

    /** a(i, j) = exp(-mean_d |f_i - f_j|) for every forward-half pair of the disc, from (depth, height, width) features. */
    public static AffinityField affinitiesFromFeatures(float[] features, int depth, int height, int width,
                                                       int radius) {
        if (depth < 1 || height < 1 || width < 1 || features.length != depth * height * width) {
            throw new IllegalArgumentException("features has " + features.length + " values, expected "
                    + depth + " x " + height + "x" + width);
        }
        int n = height * width;
        DiscOffsets offsets = DiscOffsets.forwardHalf(radius);
        float[][] planes = new float[offsets.size()][];
        for (int o = 0; o < offsets.size(); o++) {
            int dy = offsets.dy()[o];
            int dx = offsets.dx()[o];
            int shift = dy * width + dx;
            int x0 = Math.max(0, -dx);
            int x1 = Math.min(width, width - dx);
            float[] dist = new float[n];
            for (int d = 0; d < depth; d++) {
                int base = d * n;
                for (int y = 0; y + dy < height; y++) {
                    int row = y * width;
                    for (int x = x0; x < x1; x++) {
                        dist[row + x] += Math.abs(features[base + row + x] - features[base + row + x + shift]);
                    }
                }
            }
            for (int y = 0; y + dy < height; y++) {
                for (int x = x0; x < x1; x++) {
                    int i = y * width + x;
                    dist[i] = (float) Math.exp(-dist[i] / depth);
                }
            }
            planes[o] = dist;
        }
        return new AffinityField(height, width, offsets, planes);
    }

    /** Affinities from features, then {@link #propagate(float[], int, AffinityField, double, int, int)}. */
    public static float[] propagate(float[] maps, int mapCount, float[] features, int depth, int height, int width,
                                    RandomWalkParams params) {
        AffinityField field = affinitiesFromFeatures(features, depth, height, width, params.radius());
        return propagate(maps, mapCount, field, params.beta(), params.steps(), params.threads());
    }

    /**
     * @param maps     (mapCount, height, width): background map then class maps; not modified
     * @param steps    t; the result is vec(maps) . T^t with T = A^beta column-normalised
     * @param threads  maps are split into this many groups, each walked on its own thread
     * @return the propagated maps, same shape
     */
    public static float[] propagate(float[] maps, int mapCount, AffinityField field, double beta, int steps,
                                    int threads) {
        int n = field.height() * field.width();
        if (mapCount < 1 || maps.length != mapCount * n) {
            throw new IllegalArgumentException("maps has " + maps.length + " values, expected " + mapCount
                    + " maps x " + field.height() + "x" + field.width());
        }
        new RandomWalkParams(field.offsets().radius(), beta, steps, threads); // range checks on the arguments
        TransitionStencil stencil = TransitionStencil.of(field, beta);
        float[] out = maps.clone();
        int groups = Math.min(threads, mapCount);
        if (groups == 1) {
            stencil.walk(out, 0, mapCount, steps);
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(groups, r -> {
            Thread t = new Thread(r, "random-walk");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                int first = g * mapCount / groups;
                int count = (g + 1) * mapCount / groups - first;
                parts.add(pool.submit(() -> stencil.walk(out, first, count, steps)));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("random walk interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("random walk worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** Stacks the background map (1 - max_c CAM_c)^alpha (psa: alpha 16) in front of the K class CAMs. */
    public static float[] withBackground(float[] cams, int classCount, int height, int width, double alpha) {
        int n = height * width;
        if (classCount < 0 || height < 1 || width < 1 || cams.length != classCount * n) {
            throw new IllegalArgumentException("cams has " + cams.length + " values, expected " + classCount
                    + " classes x " + height + "x" + width);
        }
        float[] out = new float[(classCount + 1) * n];
        System.arraycopy(cams, 0, out, n, cams.length);
        for (int i = 0; i < n; i++) {
            float max = 0;
            for (int c = 0; c < classCount; c++) {
                max = Math.max(max, cams[c * n + i]);
            }
            out[i] = (float) Math.pow(1.0 - max, alpha);
        }
        return out;
    }

    /**
     * irn's background after the walk: each of the K walked class maps divided by its own maximum (a map that is
     * zero everywhere stays zero), with the constant plane {@code score} stacked in front.
     */
    public static float[] withConstantBackground(float[] walked, int classCount, int height, int width,
                                                 double score) {
        int n = height * width;
        if (classCount < 0 || height < 1 || width < 1 || walked.length != classCount * n) {
            throw new IllegalArgumentException("walked maps have " + walked.length + " values, expected "
                    + classCount + " classes x " + height + "x" + width);
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("background score must be in [0, 1], got " + score);
        }
        float[] out = new float[(classCount + 1) * n];
        java.util.Arrays.fill(out, 0, n, (float) score);
        for (int c = 0; c < classCount; c++) {
            float max = 0;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, walked[c * n + i]);
            }
            for (int i = 0; i < n; i++) {
                out[(c + 1) * n + i] = max > 0 ? walked[c * n + i] / max : 0f;
            }
        }
        return out;
    }

    /** Per-cell argmax over the maps: row 0 gives label 0, row k gives classIndices[k - 1]; ties go to the lower row. */
    public static byte[] argmaxLabels(float[] maps, int mapCount, int height, int width, int[] classIndices) {
        int n = height * width;
        if (mapCount < 1 || maps.length != mapCount * n) {
            throw new IllegalArgumentException("maps has " + maps.length + " values, expected " + mapCount
                    + " maps x " + height + "x" + width);
        }
        if (classIndices.length != mapCount - 1) {
            throw new IllegalArgumentException("got " + classIndices.length + " class indices for " + mapCount
                    + " maps (background + " + (mapCount - 1) + " classes)");
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            float best = maps[i];
            int label = 0;
            for (int k = 1; k < mapCount; k++) {
                if (maps[k * n + i] > best) {
                    best = maps[k * n + i];
                    label = classIndices[k - 1];
                }
            }
            labels[i] = (byte) label;
        }
        return labels;
    }
}
