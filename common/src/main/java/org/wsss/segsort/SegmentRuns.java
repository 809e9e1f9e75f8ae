package org.wsss.segsort;

import java.util.Arrays;

/**
 * A per-pixel segment map kept as runs in raster order (value, length pairs): segments are connected regions, so a
 * map of an image costs a few runs per row instead of an int per pixel. Retrieval keeps every image's map of a
 * partition while the prototype table is searched; at LID's 500x375 an int map is 750 KB an image, its runs a few
 * KB.
 */
public final class SegmentRuns {

    private SegmentRuns() {
    }

    /** The runs of {@code map}: value and length of each maximal run of equal values, in order. */
    public static int[] encode(int[] map) {
        int[] runs = new int[16];
        int n = 0;
        int i = 0;
        while (i < map.length) {
            int j = i + 1;
            while (j < map.length && map[j] == map[i]) {
                j++;
            }
            if (n + 2 > runs.length) {
                runs = Arrays.copyOf(runs, runs.length * 2);
            }
            runs[n++] = map[i];
            runs[n++] = j - i;
            i = j;
        }
        return Arrays.copyOf(runs, n);
    }

    /** The map of {@code length} values the runs describe. */
    public static int[] decode(int[] runs, int length) {
        int[] map = new int[length];
        int at = 0;
        for (int r = 0; r + 1 < runs.length; r += 2) {
            if (runs[r + 1] < 1 || at + runs[r + 1] > length) {
                throw new IllegalArgumentException("segment runs do not describe a map of " + length + " values");
            }
            Arrays.fill(map, at, at + runs[r + 1], runs[r]);
            at += runs[r + 1];
        }
        if (at != length) {
            throw new IllegalArgumentException("segment runs describe " + at + " values, not " + length);
        }
        return map;
    }
}
