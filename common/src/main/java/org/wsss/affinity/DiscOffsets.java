package org.wsss.affinity;

import java.util.Arrays;

/**
 * Grid offsets (dy, dx) with 0 &lt; dy² + dx² &lt; radius², the neighbourhood of AffinityNet and the random walk.
 *
 * <p>The forward half holds each unordered pair once: (0, dx) for dx &gt; 0, then every dy &gt; 0 row; so a forward
 * offset always points to a larger row-major index. The full disc lists the forward half followed by the same
 * offsets negated, so entry {@code o + size()/2} is the reverse of forward entry {@code o}.
 */
public record DiscOffsets(int radius, int[] dy, int[] dx) {

    public DiscOffsets {
        if (radius < 1) {
            throw new IllegalArgumentException("radius must be >= 1, got " + radius);
        }
        if (dy.length != dx.length) {
            throw new IllegalArgumentException("dy has " + dy.length + " entries but dx has " + dx.length);
        }
    }

    public static DiscOffsets forwardHalf(int radius) {
        if (radius < 1) {
            throw new IllegalArgumentException("radius must be >= 1, got " + radius);
        }
        int r2 = radius * radius;
        int[] dys = new int[r2 * 2];
        int[] dxs = new int[r2 * 2];
        int n = 0;
        for (int x = 1; x < radius; x++) {
            dys[n] = 0;
            dxs[n++] = x;
        }
        for (int y = 1; y < radius; y++) {
            for (int x = 1 - radius; x < radius; x++) {
                if (y * y + x * x < r2) {
                    dys[n] = y;
                    dxs[n++] = x;
                }
            }
        }
        return new DiscOffsets(radius, Arrays.copyOf(dys, n), Arrays.copyOf(dxs, n));
    }

    public static DiscOffsets fullDisc(int radius) {
        DiscOffsets half = forwardHalf(radius);
        int n = half.size();
        int[] dys = Arrays.copyOf(half.dy, 2 * n);
        int[] dxs = Arrays.copyOf(half.dx, 2 * n);
        for (int o = 0; o < n; o++) {
            dys[n + o] = -half.dy[o];
            dxs[n + o] = -half.dx[o];
        }
        return new DiscOffsets(radius, dys, dxs);
    }

    public int size() {
        return dy.length;
    }
}
