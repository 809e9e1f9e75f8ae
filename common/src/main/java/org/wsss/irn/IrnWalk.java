package org.wsss.irn;

import org.wsss.affinity.RandomWalk;
import org.wsss.nn.ImageTensors;

/**
 * IRNet's semantic pseudo-labels (irn's make_sem_seg_labels.py): the class CAMs on the boundary map's stride-4 grid,
 * each multiplied by (1 - boundary), walked with the affinities the boundary map gives ({@link BoundaryAffinity},
 * radius 5, affinities to the power beta 10, 2^8 steps), upsampled bilinearly to the image, divided by their global
 * maximum, and set against a constant background score (0.25) in the argmax.
 *
 * @param radius  the walk's neighbourhood radius
 * @param beta    power of the affinities
 * @param steps   walk steps t (irn squares the transition matrix 8 times: 256 steps)
 * @param bgScore the constant background after the global normalisation
 * @param threads threads of one image's walk
 */
public record IrnWalk(int radius, double beta, int steps, double bgScore, int threads) implements java.io.Serializable {

    public static final IrnWalk IRN = new IrnWalk(5, 10, 256, 0.25, 1);

    public IrnWalk {
        if (radius < 2 || !(beta > 0) || steps < 0 || !(bgScore >= 0 && bgScore <= 1) || threads < 1) {
            throw new IllegalArgumentException("IRNet walk: radius >= 2, beta > 0, steps >= 0, background score in "
                    + "[0, 1] and threads >= 1, got " + radius + ", " + beta + ", " + steps + ", " + bgScore + ", "
                    + threads);
        }
    }

    /**
     * The walked class maps (K, h, w) on the boundary grid: CAMs (K, h, w) times (1 - boundary), propagated.
     */
    public float[] walk(float[] boundary, int h, int w, float[] cams, int classCount) {
        int n = h * w;
        if (boundary.length != n || cams.length != classCount * n) {
            throw new IllegalArgumentException("IRNet walk: a " + h + "x" + w + " boundary map needs " + n + " values and "
                    + classCount + " CAMs " + classCount * n + ", got " + boundary.length + " and " + cams.length);
        }
        float[] x = new float[cams.length];
        for (int c = 0; c < classCount; c++) {
            for (int i = 0; i < n; i++) {
                x[c * n + i] = cams[c * n + i] * (1 - boundary[i]);
            }
        }
        if (classCount == 0) {
            return x;
        }
        return RandomWalk.propagate(x, classCount, BoundaryAffinity.field(boundary, h, w, radius), beta, steps,
                threads);
    }

    /** Labels (imageH, imageW) of one image: 0 background, else {@code classes[k]} of the winning walked map. */
    public byte[] labels(float[] boundary, int h, int w, float[] cams, int[] classes, int imageH, int imageW) {
        if (classes.length == 0) {
            return new byte[imageH * imageW];
        }
        return RandomWalk.argmaxLabels(scores(boundary, h, w, cams, classes.length, imageH, imageW),
                classes.length + 1, imageH, imageW, classes);
    }

    /**
     * The maps the argmax takes, (1 + K, imageH, imageW): the constant background, then the walked class maps
     * upsampled and divided by their global maximum.
     */
    public float[] scores(float[] boundary, int h, int w, float[] cams, int classCount, int imageH, int imageW) {
        float[] walked = walk(boundary, h, w, cams, classCount);
        float[] up = ImageTensors.resizeMaps(walked, classCount, h, w, imageH, imageW);
        float max = 0;
        for (float v : up) {
            max = Math.max(max, v);
        }
        int n = imageH * imageW;
        float[] scored = new float[(classCount + 1) * n];
        java.util.Arrays.fill(scored, 0, n, (float) bgScore);
        for (int i = 0; i < up.length; i++) {
            scored[n + i] = max > 0 ? up[i] / max : 0;
        }
        return scored;
    }
}
