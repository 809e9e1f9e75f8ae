package org.wsss.irn;

import java.util.ArrayList;
import java.util.List;

import org.wsss.affinity.DiscOffsets;

/**
 * IRNet's paths between a cell and each forward-half disc neighbour ({@link DiscOffsets#forwardHalf}): the cells
 * (y, x) of the bounding box of (0, 0) and (dy, dx) whose distance from the line through them is below one cell,
 * both ends included. A pair's affinity is one minus the largest class-boundary score on its path.
 */
public record BoundaryPaths(DiscOffsets offsets, int[][] dy, int[][] dx) {

    public static BoundaryPaths of(int radius) {
        DiscOffsets offsets = DiscOffsets.forwardHalf(radius);
        int[][] py = new int[offsets.size()][];
        int[][] px = new int[offsets.size()][];
        for (int o = 0; o < offsets.size(); o++) {
            int ty = offsets.dy()[o];
            int tx = offsets.dx()[o];
            double lengthSq = ty * ty + tx * tx;
            List<int[]> cells = new ArrayList<>();
            for (int y = Math.min(0, ty); y <= Math.max(0, ty); y++) {
                for (int x = Math.min(0, tx); x <= Math.max(0, tx); x++) {
                    double cross = ty * x - tx * y;
                    if (cross * cross / lengthSq < 1) {
                        cells.add(new int[]{y, x});
                    }
                }
            }
            py[o] = cells.stream().mapToInt(c -> c[0]).toArray();
            px[o] = cells.stream().mapToInt(c -> c[1]).toArray();
        }
        return new BoundaryPaths(offsets, py, px);
    }

    public int size() {
        return offsets.size();
    }
}
