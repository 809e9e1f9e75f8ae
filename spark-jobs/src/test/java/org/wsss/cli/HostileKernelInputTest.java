package org.wsss.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.io.Npy;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `wsss kernel ...` given arrays and arguments made to break it: each is refused before any work with exit code 2
 * and one line naming the file or option and what is wrong, and no output file appears.
 */
class HostileKernelInputTest {

    @TempDir
    Path dir;

    private Path npy(String name, int[] shape, float[] data) throws Exception {
        Path p = dir.resolve(name);
        Npy.write(p, shape, data);
        return p;
    }

    /** Values 0.1, 0.2, ... with one value replaced at the flat index. */
    private static float[] values(int n, int at, float bad) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f * (i % 9 + 1);
        }
        if (at >= 0) {
            v[at] = bad;
        }
        return v;
    }

    /** A .npy v1.0 file by hand: magic, version, header length, the dict padded to 64 bytes, then the data. */
    private Path handMade(String name, String dict, int dataBytes) throws Exception {
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve(name);
        Files.write(p, buf.array());
        return p;
    }

    private String walkError(Path cams, Path features, String... more) {
        String[] args = {"kernel", "random-walk", "--cams", cams.toString(), "--features", features.toString(),
                "--out", dir.resolve("o.npy").toString()};
        String m = CliRun.usageError("random-walk", concat(args, more));
        assertFalse(Files.exists(dir.resolve("o.npy")), "nothing written");
        return m;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void nanOrInfinityInAnyInputIsRefusedNamingTheFileAndTheFirstBadIndex() throws Exception {
        // (2, 3, 4): flat index 23 = 1*12 + 2*4 + 3 is element (1, 2, 3)
        Path badCams = npy("c.npy", new int[]{2, 3, 4}, values(24, 23, Float.NaN));
        Path feats = npy("f.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        assertEquals("--cams " + badCams + ": element (1, 2, 3) is NaN; every value must be a finite number",
                walkError(badCams, feats));

        Path cams = npy("c2.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        Path badFeats = npy("f2.npy", new int[]{2, 3, 4}, values(24, 1, Float.POSITIVE_INFINITY));
        assertEquals("--features " + badFeats + ": element (0, 0, 1) is Infinity; every value must be a finite "
                + "number", walkError(cams, badFeats));

        Path badLabelCams = npy("c3.npy", new int[]{1, 1, 3}, new float[]{0.9f, Float.NEGATIVE_INFINITY, 0.1f});
        assertEquals("--cams " + badLabelCams + ": element (0, 0, 1) is -Infinity; every value must be a finite "
                        + "number", CliRun.usageError("affinity-labels", "kernel", "affinity-labels", "--cams",
                badLabelCams.toString(), "--out", dir.resolve("l.npy").toString()));

        Path img = dir.resolve("img.png");
        ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png", img.toFile());
        Path badProbs = npy("p.npy", new int[]{2, 3, 4}, values(24, 12, Float.NaN));
        assertEquals("--probs " + badProbs + ": element (1, 0, 0) is NaN; every value must be a finite number",
                CliRun.usageError("crf", "kernel", "crf", "--image", img.toString(), "--probs", badProbs.toString(),
                        "--out", dir.resolve("q.npy").toString()));
        assertFalse(Files.exists(dir.resolve("l.npy")) || Files.exists(dir.resolve("q.npy")));
    }

    @Test
    void aSmallFileDeclaringAHugeShapeIsRefusedBeforeAnythingIsAllocated() throws Exception {
        // 134 bytes that declare 3 * 30000 * 20000 float32 (7.2 GB): reading it used to die with OutOfMemoryError
        Path bomb = handMade("bomb.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 30000, 20000), }", 6);
        assertEquals(134, Files.size(bomb));
        Path feats = npy("f.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        assertEquals("--cams " + bomb + ": declared shape (3, 30000, 20000) of '<f4' needs 7200000000 data bytes, "
                + "7200000128 bytes with the 128-byte header, but the file has 134 bytes (truncated)",
                walkError(bomb, feats));
    }

    @Test
    void aTruncatedOrOverlongFileIsRefusedWithTheExpectedAndActualLength() throws Exception {
        Path good = npy("c.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        byte[] bytes = Files.readAllBytes(good);
        assertEquals(128 + 24 * 4, bytes.length);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
        Path feats = npy("f.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        assertEquals("--cams " + cut + ": declared shape (2, 3, 4) of '<f4' needs 96 data bytes, 224 bytes with "
                + "the 128-byte header, but the file has 214 bytes (truncated)", walkError(cut, feats));
        Path longer = dir.resolve("long.npy");
        Files.write(longer, Arrays.copyOf(bytes, bytes.length + 4));
        assertEquals("--features " + longer + ": declared shape (2, 3, 4) of '<f4' needs 96 data bytes, 224 bytes "
                + "with the 128-byte header, but the file has 228 bytes (trailing bytes)", walkError(good, longer));
        Path headerCut = dir.resolve("header.npy");
        Files.write(headerCut, Arrays.copyOf(bytes, 40));
        assertEquals("--cams " + headerCut + ": truncated in header: expected 118 more bytes, got 30",
                walkError(headerCut, feats));
    }

    @Test
    void walkArgumentsOutsideTheirRangeAreRefusedBeforeReadingTheArrays() throws Exception {
        // 3x4 grid: the farthest pair is 2 rows and 3 columns apart, d^2 = 13 < 4^2, so radius 4 links every pair
        Path cams = npy("c.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        Path feats = npy("f.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        String grid = "(at most 16; radius 4 already links every pair of cells)";
        assertEquals("--radius 1000: must be in 1..4 for the 3x4 grid " + grid,
                walkError(cams, feats, "--radius", "1000"));
        assertEquals("--radius 5: must be in 1..4 for the 3x4 grid " + grid, walkError(cams, feats, "--radius", "5"));
        assertEquals("--radius 0: must be in 1..4 for the 3x4 grid " + grid, walkError(cams, feats, "--radius", "0"));
        assertEquals("--t 100001: must be in 0..100000", walkError(cams, feats, "--t", "100001"));
        assertEquals("--threads 100000: must be in 1..256", walkError(cams, feats, "--threads", "100000"));
        assertEquals("--beta NaN: must be a finite number > 0", walkError(cams, feats, "--beta", "NaN"));
        assertEquals("--beta Infinity: must be a finite number > 0", walkError(cams, feats, "--beta", "Infinity"));

        CliRun.Result ok = CliRun.run("kernel", "random-walk", "--cams", cams.toString(), "--features",
                feats.toString(), "--out", dir.resolve("o.npy").toString(), "--radius", "4", "--t", "3");
        assertEquals(0, ok.exitCode(), ok.err());
        assertArrayEquals(new int[]{2, 3, 4}, Npy.read(dir.resolve("o.npy")).shape());
    }

    @Test
    void crfAndAffinityLabelArgumentsOutsideTheirRangeAreRefused() throws Exception {
        Path img = dir.resolve("img.png");
        ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png", img.toFile());
        Path probs = npy("p.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        String[] crf = {"kernel", "crf", "--image", img.toString(), "--probs", probs.toString(), "--out",
                dir.resolve("q.npy").toString()};
        assertEquals("--iterations 5000: must be in 0..1000",
                CliRun.usageError("crf", concat(crf, new String[]{"--iterations", "5000"})));
        assertEquals("--bilateral-srgb NaN: must be a finite number > 0",
                CliRun.usageError("crf", concat(crf, new String[]{"--bilateral-srgb", "NaN"})));
        assertEquals("--gaussian-weight Infinity: must be a number in [0.0, 1000.0]",
                CliRun.usageError("crf", concat(crf, new String[]{"--gaussian-weight", "Infinity"})));
        Path cams = npy("c.npy", new int[]{1, 1, 3}, new float[]{0.9f, 0.3f, 0.02f});
        assertEquals("--bg Infinity: must be a finite number", CliRun.usageError("affinity-labels", "kernel",
                "affinity-labels", "--cams", cams.toString(), "--out", dir.resolve("l.npy").toString(),
                "--bg", "Infinity"));
    }

    @Test
    void anOutputWhoseFolderIsMissingOrThatIsAFolderIsRefusedBeforeAnyWork() throws Exception {
        Path cams = npy("c.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        Path feats = npy("f.npy", new int[]{2, 3, 4}, values(24, -1, 0));
        Path missing = dir.resolve("no-such-folder/o.npy");
        assertEquals("--out " + missing + ": folder " + dir.resolve("no-such-folder") + " does not exist; create "
                + "it first", CliRun.usageError("random-walk", "kernel", "random-walk", "--cams", cams.toString(),
                "--features", feats.toString(), "--out", missing.toString()));
        Path folder = Files.createDirectory(dir.resolve("out-folder"));
        assertEquals("--out " + folder + ": is a directory; give a file name such as " + folder.resolve("out.npy"),
                CliRun.usageError("affinity-labels", "kernel", "affinity-labels", "--cams", cams.toString(),
                        "--out", folder.toString()));
        Path underFile = dir.resolve("c.npy/o.npy");
        assertEquals("--out " + underFile + ": folder " + cams + " is not a directory; create it first",
                CliRun.usageError("random-walk", "kernel", "random-walk", "--cams", cams.toString(),
                        "--features", feats.toString(), "--out", underFile.toString()));
    }
}
