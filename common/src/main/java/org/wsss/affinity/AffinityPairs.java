package org.wsss.affinity;

import java.util.Arrays;

/**
 * AffinityNet training targets: every unordered pair of grid cells (i, j = i + forward offset) within the disc,
 * both on the grid and neither ignored, is background-positive (both 0), foreground-positive (same class) or
 * negative (different labels). Stored as one category plane per forward offset, indexed by the source cell i,
 * so a loss can compare shifted feature maps offset by offset.
 */
public final class AffinityPairs {

    public enum Category { BG_POSITIVE, FG_POSITIVE, NEGATIVE }

    /** Plane value for a pair that does not take part: target off the grid or an end labelled 255. */
    public static final byte DROPPED = -1;

    /** All kept pairs as parallel arrays; {@code category[p]} is a {@link Category} ordinal. */
    public record PairList(int[] from, int[] to, byte[] category) {
    }

    private final int height;
    private final int width;
    private final DiscOffsets offsets;
    private final byte[][] planes;
    private final int[] counts;

    private AffinityPairs(int height, int width, DiscOffsets offsets, byte[][] planes, int[] counts) {
        this.height = height;
        this.width = width;
        this.offsets = offsets;
        this.planes = planes;
        this.counts = counts;
    }

    /** @param labels (height, width) row-major: 0 background, 1..C class, 255 ignored */
    public static AffinityPairs fromLabels(byte[] labels, int height, int width, int radius) {
        if (height < 1 || width < 1 || labels.length != height * width) {
            throw new IllegalArgumentException("labels has " + labels.length + " values for a "
                    + height + "x" + width + " grid");
        }
        DiscOffsets offsets = DiscOffsets.forwardHalf(radius);
        byte[][] planes = new byte[offsets.size()][height * width];
        int[] counts = new int[Category.values().length];
        for (int o = 0; o < offsets.size(); o++) {
            byte[] plane = planes[o];
            Arrays.fill(plane, DROPPED);
            int dy = offsets.dy()[o];
            int dx = offsets.dx()[o];
            for (int y = 0; y + dy < height; y++) {
                for (int x = Math.max(0, -dx); x < Math.min(width, width - dx); x++) {
                    int i = y * width + x;
                    int a = labels[i] & 0xff;
                    int b = labels[i + dy * width + dx] & 0xff;
                    if (a == AffinityLabels.IGNORE || b == AffinityLabels.IGNORE) {
                        continue;
                    }
                    Category c = a != b ? Category.NEGATIVE : a == 0 ? Category.BG_POSITIVE : Category.FG_POSITIVE;
                    plane[i] = (byte) c.ordinal();
                    counts[c.ordinal()]++;
                }
            }
        }
        return new AffinityPairs(height, width, offsets, planes, counts);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public DiscOffsets offsets() {
        return offsets;
    }

    /** Category ordinal of pair (i, i + offset o), or {@link #DROPPED}. */
    public byte category(int offsetIndex, int sourceCell) {
        return planes[offsetIndex][sourceCell];
    }

    /** A copy of offset o's plane of category ordinals / {@link #DROPPED}, indexed by source cell. */
    public byte[] plane(int offsetIndex) {
        return planes[offsetIndex].clone();
    }

    public int count(Category category) {
        return counts[category.ordinal()];
    }

    public PairList list() {
        int total = Arrays.stream(counts).sum();
        int[] from = new int[total];
        int[] to = new int[total];
        byte[] category = new byte[total];
        int p = 0;
        for (int o = 0; o < planes.length; o++) {
            int shift = offsets.dy()[o] * width + offsets.dx()[o];
            for (int i = 0; i < planes[o].length; i++) {
                if (planes[o][i] != DROPPED) {
                    from[p] = i;
                    to[p] = i + shift;
                    category[p++] = planes[o][i];
                }
            }
        }
        return new PairList(from, to, category);
    }
}
