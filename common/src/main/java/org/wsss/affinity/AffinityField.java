package org.wsss.affinity;

/**
 * Pairwise affinities of one image on its feature grid, stored per forward offset (see {@link DiscOffsets}):
 * {@code planes[o][i]} is a(i, i + offset o) for source cell i (row-major), 0 where the target is off the grid.
 * Affinities are symmetric, so the backward direction is implied.
 */
public record AffinityField(int height, int width, DiscOffsets offsets, float[][] planes) {

    public AffinityField {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("grid must be at least 1x1, got " + height + "x" + width);
        }
        if (planes.length != offsets.size()) {
            throw new IllegalArgumentException(
                    "planes has " + planes.length + " entries for " + offsets.size() + " offsets");
        }
        for (int o = 0; o < planes.length; o++) {
            if (planes[o].length != height * width) {
                throw new IllegalArgumentException("plane " + o + " has " + planes[o].length
                        + " values for a " + height + "x" + width + " grid");
            }
        }
    }
}
