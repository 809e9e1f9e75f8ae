package org.wsss.irn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class InstanceMasksTest {

    @Test
    void cellsFollowAFieldPointingToTheirCentroid() {
        // 5x5, field pointing every cell to (2, 2): each ends there after enough steps
        int h = 5, w = 5;
        float[] dp = new float[2 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                dp[y * w + x] = 2 - y;
                dp[h * w + y * w + x] = 2 - x;
            }
        }
        int[] c = InstanceMasks.centroids(dp, h, w, 300);
        for (int i = 0; i < h * w; i++) {
            assertEquals(2 * w + 2, c[i], "cell " + i);
        }
    }

    @Test
    void instancesAreTheWeakFieldRegionsTheCentroidsLandIn() {
        // 1x7: field strengths 0, 0, 5, 5, 5, 0, 0 -> weak regions {0, 1} and {5, 6}; centroids of cells 0-2 in the
        // first, 3-5 in the second, cell 6's on cell 3 (strong: outside every region)
        float[] dp = {0, 0, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        int[] centroids = {0, 1, 0, 6, 5, 5, 3};
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 1, 2}, InstanceMasks.instances(centroids, dp, 1, 7, 2.5));
    }

    @Test
    void twoObjectsOfOneClassBecomeTwoDetections() {
        // 6x12: objects A (rows 1-3, cols 1-3) and B (rows 1-3, cols 8-10) of class 4, one CAM over both; the
        // boundary 1 everywhere outside them; the field points A's cells to (2, 2) and B's to (2, 9), background
        // cells 3 cells down (strong). Expected: two detections of class 4, exactly A and B, each scored by its own
        // largest walked value (the larger 1)
        int h = 6, w = 12, n = h * w;
        float[] boundary = new float[n];
        float[] dp = new float[2 * n];
        float[] cam = new float[n];
        boolean[] a = new boolean[n];
        boolean[] b = new boolean[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean inA = y >= 1 && y <= 3 && x >= 1 && x <= 3;
                boolean inB = y >= 1 && y <= 3 && x >= 8 && x <= 10;
                a[i] = inA;
                b[i] = inB;
                if (inA || inB) {
                    cam[i] = 1;
                    dp[i] = 2 - y;
                    dp[n + i] = (inA ? 2 : 9) - x;
                } else {
                    boundary[i] = 1;
                    dp[i] = 3;
                }
            }
        }
        List<InstanceMasks.Detection> found = InstanceMasks.detect(boundary, dp, h, w, cam, new int[]{4}, h, w,
                IrnWalk.IRN, 0.25);
        assertEquals(2, found.size(), "one detection per object");
        InstanceMasks.Detection first = found.get(0).mask()[w + 1] ? found.get(0) : found.get(1);
        InstanceMasks.Detection second = first == found.get(0) ? found.get(1) : found.get(0);
        assertArrayEquals(a, first.mask());
        assertArrayEquals(b, second.mask());
        assertEquals(4, first.classIndex());
        assertEquals(4, second.classIndex());
        assertEquals(1.0, Math.max(first.score(), second.score()), 1e-9);
    }
}
