package org.wsss.crf;

import org.wsss.affinity.AffinityField;
import org.wsss.affinity.RandomWalk;
import org.wsss.data.ImageCodec;
import org.wsss.data.RgbImage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark (not a test): the CPU work per image of the stages' non-network phases at LID's image size (500x375,
 * JPEG), on one thread, as the capacity model (deploy/capacity/lid-capacity.py) takes them: JPEG decode with
 * ingest's checks, the dense CRF with {@code --labels} labels (psa's 10 iterations), the affinity field and sparse
 * walk on psa's 56x56 grid (t = 256, radius 5, {@code --labels} maps). Prints a table of thread-CPU milliseconds
 * (median) and the capacity model's flags. The image is photo-like and synthetic, or with {@code --image} the
 * central 500x375 pixels of a real photo, re-encoded at quality 0.9.
 * Run: deploy/bin/bench per-image [--labels 3] [--runs 7] [--image PHOTO.jpg]
 */
public final class PerImageCostBench {
    private PerImageCostBench() {
    }

    public static void main(String[] argv) throws Exception {
        int labelsArg = 3;
        int runs = 7;
        String photo = null;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--labels" -> labelsArg = Integer.parseInt(argv[i + 1]);
                case "--runs" -> runs = Integer.parseInt(argv[i + 1]);
                case "--image" -> photo = argv[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + argv[i] + "; options: --labels, "
                        + "--runs, --image");
            }
        }
        int labels = labelsArg;
        RgbImage image = photo == null ? CrfBench.photoLikeImage(new Random(1))
                : centreCrop(ImageCodec.decodeRgb(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(photo))));
        byte[] jpeg = ImageCodec.encodeJpeg(image, 0.9f);
        float[] probs = CrfBench.camLikeProbs(new Random(2), labels);
        DenseCrf crf = new DenseCrf(CrfParams.DEFAULTS, 1);
        int side = 56;
        int depth = 448;
        Random rnd = new Random(3);
        float[] features = new float[depth * side * side];
        for (int i = 0; i < features.length; i++) {
            features[i] = rnd.nextFloat();
        }
        float[] maps = new float[labels * side * side];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = rnd.nextFloat();
        }
        int steps = 256;

        double decode = median(runs, () -> ImageCodec.decode(jpeg, "bench.jpg"));
        double decodeRgb = median(runs, () -> ImageCodec.decodeRgb(jpeg));
        double crfMs = median(runs, () -> crf.infer(image, probs, labels));
        double field = median(runs, () -> RandomWalk.affinitiesFromFeatures(features, depth, side, side, 5));
        AffinityField f = RandomWalk.affinitiesFromFeatures(features, depth, side, side, 5);
        double walk = median(runs, () -> RandomWalk.propagate(maps, maps.length / (side * side), f, 8, steps, 1));

        System.out.printf("%d x %d %s JPEG (quality 0.9, %d bytes), %d labels, one thread, thread CPU ms, "
                        + "median of %d after a warm-up%n%n", image.width(), image.height(),
                photo == null ? "photo-like synthetic" : "crop of " + photo + " as a", jpeg.length, labels, runs);
        System.out.println("| work | ms per image |");
        System.out.println("|---|---|");
        System.out.printf("| JPEG decode with ingest's checks | %.1f |%n", decode);
        System.out.printf("| JPEG decode to RGB (network stages) | %.1f |%n", decodeRgb);
        System.out.printf("| dense CRF, %d labels, %d iterations | %.1f |%n", labels,
                CrfParams.DEFAULTS.iterations(), crfMs);
        System.out.printf("| affinity field from %d-channel features, %dx%d, radius 5 | %.1f |%n", depth, side, side,
                field);
        System.out.printf("| sparse walk, %dx%d, %d maps, t = %d | %.1f |%n", side, side, labels, steps, walk);
        System.out.printf("%nlid-capacity.py flags: --cpu-decode %.4f --cpu-crf %.4f --cpu-walk %.4f%n",
                decodeRgb / 1e3, crfMs / 1e3, (field + walk) / 1e3);
    }

    /** The photo's central 500x375 pixels, the size of a typical ILSVRC image, at the photo's own resolution. */
    static RgbImage centreCrop(RgbImage img) {
        int w = 500;
        int h = 375;
        if (img.width() < w || img.height() < h) {
            throw new IllegalArgumentException("--image must be at least " + w + "x" + h + ", got " + img.width() + "x"
                    + img.height());
        }
        int x0 = (img.width() - w) / 2;
        int y0 = (img.height() - h) / 2;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.rgb(), ((y0 + y) * img.width() + x0) * 3, rgb, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, rgb);
    }

    interface Work {
        Object run() throws Exception;
    }

    /** Median thread CPU milliseconds of {@code runs} runs after one warm-up run (JIT). */
    static double median(int runs, Work w) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        w.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            w.run();
            ms[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }
}
