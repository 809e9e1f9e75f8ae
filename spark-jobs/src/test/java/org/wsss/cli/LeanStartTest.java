package org.wsss.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.io.Npy;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands that need neither Spark nor ND4J load neither: each runs in a JVM of its own, as a user's script would
 * start it, and the JVM's class-loading log must name no class of Spark, Scala, ND4J, DL4J or log4j. Those
 * libraries cost seconds to load and initialise, which a per-image kernel call would pay every time.
 */
class LeanStartTest {

    private static final List<String> HEAVY = List.of("org.apache.spark.", "scala.", "org.nd4j.",
            "org.deeplearning4j.", "org.apache.logging.", "org.bytedeco.");

    @TempDir
    Path dir;

    /** Runs `wsss args` in a new JVM on this test's class path; returns the classes it loaded. */
    private List<String> loadedClasses(String... args) throws Exception {
        Path log = dir.resolve("classes-" + System.nanoTime() + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                Wsss.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out-" + System.nanoTime() + ".txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "wsss " + String.join(" ", args) + " did not finish");
        assertEquals(0, p.exitValue(), "wsss " + String.join(" ", args));
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            // [0.071s][info][class,load] org.wsss.cli.Wsss source: file:/...
            int at = line.indexOf("] ", line.indexOf("class,load"));
            if (at > 0) {
                classes.add(line.substring(at + 2).split(" ", 2)[0]);
            }
        }
        assertTrue(classes.contains(Wsss.class.getName()), "the log names the classes loaded: " + classes.size());
        return classes;
    }

    private void assertLean(String... args) throws Exception {
        List<String> heavy = loadedClasses(args).stream()
                .filter(c -> HEAVY.stream().anyMatch(c::startsWith)).limit(5).toList();
        assertEquals(List.of(), heavy, "wsss " + String.join(" ", args) + " loaded");
    }

    @Test
    void helpConfigAndTheJavaKernelsLoadNoSparkNd4jOrLogging() throws Exception {
        int h = 12;
        int w = 16;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? 0x2040a0 : 0xc08020);
            }
        }
        Path png = dir.resolve("img.png");
        ImageIO.write(img, "png", png.toFile());
        float[] probs = new float[2 * h * w];
        float[] features = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            probs[i] = 0.3f + 0.4f * ((i % w) < w / 2 ? 1 : 0);
            probs[h * w + i] = 1 - probs[i];
            for (int c = 0; c < 3; c++) {
                features[c * h * w + i] = (i % w) < w / 2 ? c : -c;
            }
        }
        Path p = dir.resolve("p.npy");
        Path f = dir.resolve("f.npy");
        Npy.write(p, new int[]{2, h, w}, probs);
        Npy.write(f, new int[]{3, h, w}, features);

        assertLean("--help");
        assertLean("ingest", "--help");
        assertLean("config", "--set", "train.epochs=3");
        assertLean("kernel", "crf", "--image", png.toString(), "--probs", p.toString(), "--out",
                dir.resolve("q.npy").toString());
        assertLean("kernel", "random-walk", "--cams", p.toString(), "--features", f.toString(), "--out",
                dir.resolve("w.npy").toString(), "--t", "4", "--radius", "3");
        assertLean("kernel", "affinity-labels", "--cams", p.toString(), "--out", dir.resolve("l.npy").toString());
        assertTrue(Files.size(dir.resolve("q.npy")) > 0 && Files.size(dir.resolve("w.npy")) > 0
                && Files.size(dir.resolve("l.npy")) > 0, "each kernel wrote its output");
    }

    @Test
    void theCheckSeesALibraryWhenACommandDoesLoadOne() throws Exception {
        // `doctor` initialises ND4J by design: if this found nothing, the check above could not fail either
        List<String> classes = loadedClasses("doctor");
        assertTrue(classes.stream().anyMatch(c -> c.startsWith("org.nd4j.")), "doctor loaded no ND4J class");
    }
}
