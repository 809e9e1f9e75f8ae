package org.wsss.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Paints objects back to front and records which instance owns each pixel. A new object may occlude earlier
 * ones, but only while each keeps at least {@link #MIN_KEPT} of its own area, so no instance vanishes.
 */
final class ObjectLayer {
    static final double MIN_KEPT = 0.5;
    static final int PLACEMENT_TRIES = 20;

    /** Per pixel: 0 background, k the k-th placed instance (1-based). */
    final int[] owner;
    /** Class index (1..C) of instance k at position k; position 0 is background. */
    final int[] classOf;

    private ObjectLayer(int[] owner, int[] classOf) {
        this.owner = owner;
        this.classOf = classOf;
    }

    static ObjectLayer place(Canvas canvas, int target, SplittableRandom rng) {
        return place(canvas, target, rng, (slot, r) -> SceneObject.random(r, canvas.size));
    }

    /** Up to {@code target} objects, each slot retried with new candidates from {@code source} when rejected. */
    static ObjectLayer place(Canvas canvas, int target, SplittableRandom rng, PlacedObject.Source source) {
        int n = canvas.size;
        int[] owner = new int[n * n];
        List<PlacedObject> placed = new ArrayList<>();
        int[] fullArea = new int[target + 1];
        int[] visibleArea = new int[target + 1];
        int[] covered = new int[n * n];
        for (int k = 0; k < target; k++) {
            for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
                PlacedObject o = source.draw(k, rng);
                int[] loss = new int[placed.size() + 1];
                int count = 0;
                for (int y = o.minY(); y <= o.maxY(n); y++) {
                    for (int x = o.minX(); x <= o.maxX(n); x++) {
                        if (o.covers(x, y)) {
                            int p = y * n + x;
                            covered[count++] = p;
                            loss[owner[p]]++;
                        }
                    }
                }
                if (count == 0 || !keepsEnough(placed.size(), fullArea, visibleArea, loss)) {
                    continue;
                }
                int id = placed.size() + 1;
                placed.add(o);
                int ix = Math.min(n - 1, (int) o.centreX());
                int iy = Math.min(n - 1, (int) o.centreY());
                o.contrastWith(canvas.get(ix, iy), rng);
                for (int i = 1; i < id; i++) {
                    visibleArea[i] -= loss[i];
                }
                fullArea[id] = count;
                visibleArea[id] = count;
                for (int i = 0; i < count; i++) {
                    int p = covered[i];
                    owner[p] = id;
                    float[] c = o.colourAt(p % n, p / n);
                    canvas.set(p % n, p / n, c[0], c[1], c[2]);
                }
                break;
            }
        }
        int[] classOf = new int[placed.size() + 1];
        for (int i = 0; i < placed.size(); i++) {
            classOf[i + 1] = placed.get(i).classIndex();
        }
        return new ObjectLayer(owner, classOf);
    }

    private static boolean keepsEnough(int placedCount, int[] fullArea, int[] visibleArea, int[] loss) {
        for (int i = 1; i <= placedCount; i++) {
            if (visibleArea[i] - loss[i] < MIN_KEPT * fullArea[i]) {
                return false;
            }
        }
        return true;
    }
}
