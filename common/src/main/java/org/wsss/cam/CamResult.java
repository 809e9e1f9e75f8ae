package org.wsss.cam;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Class activation maps of one image.
 *
 * @param classes class indices 1..C of the maps, in map order
 * @param gridH height of the map grid (the scale-1 feature grid)
 * @param gridW width of the map grid
 * @param stride output stride of the network: grid cell (i, j) covers image pixels [i*stride, (i+1)*stride)
 * @param maps row-major [K, gridH, gridW], K = classes.length, each map divided by its own max (in [0, 1];
 *             a map whose max is 0 stays all zero)
 * @param scores sigmoid scores of all C classes at scale 1 (index c-1 is class c)
 */
public record CamResult(int[] classes, int gridH, int gridW, int stride, float[] maps, float[] scores)
        implements Serializable {

    public CamResult {
        if (maps.length != classes.length * gridH * gridW) {
            throw new IllegalArgumentException("maps has " + maps.length + " values for " + classes.length
                    + " classes on a " + gridH + "x" + gridW + " grid");
        }
    }

    /** The map of the k-th entry of {@link #classes}, as a row-major gridH x gridW copy. */
    public float[] map(int k) {
        int n = gridH * gridW;
        return Arrays.copyOfRange(maps, k * n, (k + 1) * n);
    }

    public float value(int k, int y, int x) {
        return maps[(k * gridH + y) * gridW + x];
    }
}
