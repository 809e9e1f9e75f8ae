package org.wsss.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.io.Npy;
import org.wsss.io.NpyArray;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** `wsss kernel ...` on .npy files against independent implementations written here. */
class KernelCliIT {

    /** Dense psa random walk in double precision: A (N x N), W = A^beta, columns normalised, v . T^t. */
    static double[] denseWalk(float[] maps, int k, float[] feats, int d, int h, int w, int radius, double beta,
                              int t) {
        int n = h * w;
        double[][] tm = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int dy = i / w - j / w, dx = i % w - j % w;
                int d2 = dy * dy + dx * dx;
                if (d2 < radius * radius) {
                    double s = 0;
                    for (int c = 0; c < d; c++) {
                        s += Math.abs(feats[c * n + i] - feats[c * n + j]);
                    }
                    tm[i][j] = Math.pow(Math.exp(-s / d), beta);
                }
            }
        }
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < n; i++) {
                col += tm[i][j];
            }
            for (int i = 0; i < n; i++) {
                tm[i][j] /= col;
            }
        }
        double[] v = new double[k * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = maps[i];
        }
        for (int step = 0; step < t; step++) {
            double[] next = new double[k * n];
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < n; i++) {
                    double vi = v[c * n + i];
                    if (vi == 0) {
                        continue;
                    }
                    for (int j = 0; j < n; j++) {
                        next[c * n + j] += vi * tm[i][j];
                    }
                }
            }
            v = next;
        }
        return v;
    }

    @Test
    void randomWalkKernelAgreesWithADenseWalk(@TempDir Path dir) throws Exception {
        int k = 3, d = 4, h = 9, w = 11;
        Random rnd = new Random(3);
        float[] maps = new float[k * h * w], feats = new float[d * h * w];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = rnd.nextFloat();
        }
        for (int i = 0; i < feats.length; i++) {
            feats[i] = (float) rnd.nextGaussian() * 0.3f + (i % (h * w) < h * w / 2 ? 1f : -1f);
        }
        Npy.write(dir.resolve("c.npy"), new int[]{k, h, w}, maps);
        Npy.write(dir.resolve("f.npy"), new int[]{d, h, w}, feats);
        for (int t : new int[]{1, 5, 64}) {
            Cli.Result r = Cli.run("kernel", "random-walk", "--cams", dir.resolve("c.npy").toString(), "--features",
                    dir.resolve("f.npy").toString(), "--out", dir.resolve("o.npy").toString(), "--t", "" + t);
            assertEquals(0, r.exitCode(), r.err());
            NpyArray o = Npy.read(dir.resolve("o.npy"));
            assertArrayEquals(new int[]{k, h, w}, o.shape());
            double[] ref = denseWalk(maps, k, feats, d, h, w, 5, 8, t);
            double worst = 0;
            for (int i = 0; i < ref.length; i++) {
                worst = Math.max(worst, Math.abs(o.data()[i] - ref[i]) / Math.max(1e-6, Math.abs(ref[i])));
            }
            assertTrue(worst <= 1e-4, "t=" + t + ": max relative difference " + worst);
        }
    }

    @Test
    void affinityLabelsKernelHandCase(@TempDir Path dir) throws Exception {
        // one class on a 1x3 grid: CAM 0.9, 0.3, 0.02. psa: bg4 = (1-cam)^4, bg24 = (1-cam)^24
        // cell0: bg4 = 0.0001, bg24 ~ 1e-24 -> class in both passes -> 1
        // cell1: bg4 = 0.2401 < 0.3 -> class; bg24 = 0.7^24 ~ 1.9e-4 < 0.3 -> class -> 1
        // cell2: bg4 = 0.922 > 0.02 -> bg; bg24 = 0.98^24 = 0.616 > 0.02 -> bg -> 0
        Npy.write(dir.resolve("c.npy"), new int[]{1, 1, 3}, new float[]{0.9f, 0.3f, 0.02f});
        Cli.Result r = Cli.run("kernel", "affinity-labels", "--cams", dir.resolve("c.npy").toString(),
                "--out", dir.resolve("l.npy").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(new float[]{1, 1, 0}, Npy.read(dir.resolve("l.npy")).data());
        // with alpha_fg 1: cell1 bg1 = 0.7 > 0.3 -> bg in the fg pass but class in the bg pass -> 255
        Cli.Result r2 = Cli.run("kernel", "affinity-labels", "--cams", dir.resolve("c.npy").toString(),
                "--out", dir.resolve("l2.npy").toString(), "--fg", "1");
        assertEquals(0, r2.exitCode(), r2.err());
        assertArrayEquals(new float[]{1, 255, 0}, Npy.read(dir.resolve("l2.npy")).data());
    }

    @Test
    void crfKernelCleansNoisyProbabilitiesOfATwoColourImage(@TempDir Path dir) throws Exception {
        int w = 24, h = 16;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] p = new float[2 * h * w];
        Random rnd = new Random(5);
        int flipped = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean right = x >= w / 2;
                img.setRGB(x, y, right ? 0xd02020 : 0x2040d0);
                boolean noisy = rnd.nextDouble() < 0.1;
                flipped += noisy ? 1 : 0;
                float p1 = (right ^ noisy) ? 0.7f : 0.3f;
                p[y * w + x] = 1 - p1;
                p[h * w + y * w + x] = p1;
            }
        }
        assertTrue(flipped > 10);
        ImageIO.write(img, "png", dir.resolve("img.png").toFile());
        Npy.write(dir.resolve("p.npy"), new int[]{2, h, w}, p);
        Cli.Result r = Cli.run("kernel", "crf", "--image", dir.resolve("img.png").toString(), "--probs",
                dir.resolve("p.npy").toString(), "--out", dir.resolve("q.npy").toString());
        assertEquals(0, r.exitCode(), r.err());
        NpyArray q = Npy.read(dir.resolve("q.npy"));
        assertArrayEquals(new int[]{2, h, w}, q.shape());
        int wrong = 0;
        for (int i = 0; i < h * w; i++) {
            assertEquals(1.0, q.data()[i] + q.data()[h * w + i], 1e-4, "probabilities sum to 1");
            boolean right = (i % w) >= w / 2;
            if ((q.data()[h * w + i] > q.data()[i]) != right) {
                wrong++;
            }
        }
        assertEquals(0, wrong, "the CRF follows the colour edge and removes the flipped pixels");
    }

    @Test
    void kernelErrorsNameTheFile(@TempDir Path dir) {
        Cli.Result r = Cli.run("kernel", "random-walk", "--cams", dir.resolve("none.npy").toString(), "--features",
                dir.resolve("f.npy").toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("none.npy"), r.err());
    }
}
