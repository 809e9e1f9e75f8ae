package org.wsss.bench;

import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.jobs.JobContext;
import org.wsss.jobs.PipelineJob;
import org.wsss.jobs.StageRunner;
import org.wsss.jobs.Stages;
import org.wsss.synthetic.LidExport;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticSpec;
import org.wsss.synthetic.VocExport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The scale harness: generates a LID-layout (or VOC-layout) tree of N small synthetic images with tags (masks for the
 * val part), runs every stage on it with settings that keep the per-image compute tiny (small inputs, one scale, one
 * epoch, no CRF, no per-image PNGs), so that what is measured is the plumbing, and prints per stage: wall time, time
 * per image, tasks, shuffle bytes, files written, the driver's heap peak after collections, its live heap after a full
 * collection at the stage's end (runtime.live-heap) and its resident peak (from each stage's metrics.json,
 * {@code resources}). With several sizes (--images 10000,100000) each size runs in a JVM of its own, and a last table
 * gives, per stage, the ratio of time per image and of live driver heap of each size to the first one: flat plumbing
 * keeps both near 1.
 *
 * <p>Options: --images 2000 (comma-separated sizes) --size 32 --layout lid --work target/scale --master local[2]
 * --from ingest --until evaluate --set "key=value;key=value" (extra settings, ';'-separated). Trees are generated
 * once per size and layout and kept under --work; a run from ingest rebuilds its run directory, a later --from keeps
 * the earlier stages' output and reruns the range (to time one stage again after a change).
 */
public final class ScaleBench {
    /** Per-image compute kept tiny, and the per-image file exports off (a cluster config's defaults). */
    static final List<String> TINY = List.of("runtime.live-heap=true",
            "classifier.epochs=1", "classifier.batch-size=16",
            "cam.scales=[1.0]", "cam.flip=false", "cam.sample-heatmaps=0",
            "affinity.epochs=1", "affinity.crf=false",
            "walk.crf=false", "walk.write-png=false",
            "train.epochs=1",
            "predict.scales=[1.0]", "predict.flip=false", "predict.crf=false", "predict.write-png=false");

    private ScaleBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Map.of("images", "2000", "size", "32", "layout", "lid", "work", "target/scale",
                "master", "local[2]", "from", "ingest", "until", "evaluate", "set", ""));
        int size = args.integer("size");
        String layout = args.get("layout");
        if (!layout.equals("lid") && !layout.equals("voc")) {
            throw new IllegalArgumentException("--layout must be lid or voc, got " + layout);
        }
        Path work = Path.of(args.get("work")).toAbsolutePath();
        List<Integer> sizes = Arrays.stream(args.get("images").split(",")).map(String::trim)
                .map(Integer::parseInt).toList();
        List<String> extra = args.get("set").isBlank() ? List.of() : List.of(args.get("set").split(";"));
        if (sizes.size() > 1) {
            compareInFreshJvms(argv, sizes, work, layout, size);
            return;
        }
        Map<Integer, List<Row>> tables = new LinkedHashMap<>();
        for (int n : sizes) {
            Path data = tree(work, layout, n, size);
            Path run = work.resolve("run-" + layout + "-" + n + "-" + size);
            List<String> stages = Stages.range(args.get("from"), args.get("until"));
            if (stages.get(0).equals(Stages.names().get(0))) {
                deleteTree(run);
            } else {
                // a partial rerun keeps the earlier stages' output and times the range afresh
                for (String stage : stages) {
                    deleteTree(run.resolve(stage));
                }
            }
            List<String> sets = new ArrayList<>(List.of(
                    "dataset.format=" + layout, "dataset.root=" + data,
                    "dataset.classes=[" + String.join(", ", SyntheticPreset.SHAPES.classNames()) + "]",
                    "runtime.local-master=" + args.get("master"),
                    "classifier.input-size=" + size, "affinity.input-size=" + size, "train.input-size=" + size));
            sets.addAll(TINY);
            sets.addAll(extra);
            Settings settings = ConfigLoader.load(List.of(), sets);
            long t0 = System.nanoTime();
            List<StageRunner.Outcome> outcomes;
            try (JobContext ctx = new JobContext(settings, run.toString())) {
                outcomes = PipelineJob.run(ctx, args.get("from"), args.get("until"));
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            List<Row> rows = new ArrayList<>();
            for (StageRunner.Outcome o : outcomes) {
                if (!o.skipped()) {
                    rows.add(Row.of(o.stage(), o.metrics(), n));
                }
            }
            tables.put(n, rows);
            System.err.printf("scale-bench: %d images: pipeline %.0f s%n", n, wall);
            print(n, size, layout, rows, tables.get(sizes.get(0)), n == sizes.get(0));
            writeRows(rowsFile(work, layout, n, size), rows);
        }
    }

    /**
     * Each size in a JVM of its own, as a user runs one pipeline per process: in one JVM the later sizes would
     * inherit the earlier ones' JIT warm-up, heap and the native buffers ND4J frees only after a collection. Each
     * child prints its own table; then the sizes are compared stage by stage.
     */
    private static void compareInFreshJvms(String[] argv, List<Integer> sizes, Path work, String layout, int size)
            throws IOException, InterruptedException {
        Map<Integer, List<Row>> tables = new LinkedHashMap<>();
        for (int n : sizes) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleBench.class.getName()));
            for (int i = 0; i < argv.length; i += 2) {
                if (!argv[i].equals("--images")) {
                    cmd.add(argv[i]);
                    cmd.add(argv[i + 1]);
                }
            }
            cmd.addAll(List.of("--images", Integer.toString(n)));
            Path rows = rowsFile(work, layout, n, size);
            Files.deleteIfExists(rows);
            int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (rc != 0 || !Files.exists(rows)) {
                throw new IllegalStateException("scale-bench: the run of " + n + " images failed (exit " + rc + ")");
            }
            tables.put(n, readRows(rows));
        }
        printComparison(tables);
    }

    /** Per stage: time per image at each size, and each later size's time per image and live heap over the first's. */
    static void printComparison(Map<Integer, List<Row>> tables) {
        List<Integer> sizes = new ArrayList<>(tables.keySet());
        List<Row> base = tables.get(sizes.get(0));
        StringBuilder head = new StringBuilder("| stage |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int n : sizes) {
            head.append(String.format(" ms/image at %,d |", n));
            rule.append("---|");
        }
        for (int n : sizes.subList(1, sizes.size())) {
            head.append(String.format(" ms/image %,d vs %,d | live heap %,d vs %,d |", n, sizes.get(0), n,
                    sizes.get(0)));
            rule.append("---|---|");
        }
        System.out.printf("%nEach size in its own JVM%n%n%s%n%s%n", head, rule);
        for (Row b : base) {
            StringBuilder line = new StringBuilder("| " + b.stage() + " |");
            List<Row> same = new ArrayList<>();
            for (int n : sizes) {
                Row r = tables.get(n).stream().filter(x -> x.stage().equals(b.stage())).findFirst().orElse(null);
                same.add(r);
                line.append(r == null ? " |" : String.format(" %.3f |", r.msPerImage()));
            }
            for (Row r : same.subList(1, same.size())) {
                line.append(r == null ? " | |" : String.format(" %.2f | %s |", r.msPerImage() / b.msPerImage(),
                        b.liveHeap() > 0 && r.liveHeap() > 0 ? String.format("%.2f", r.liveHeap() / (double) b.liveHeap())
                                : "n/a"));
            }
            System.out.println(line);
        }
        StringBuilder total = new StringBuilder("| all stages |");
        List<Double> perImage = new ArrayList<>();
        for (int n : sizes) {
            double ms = 1e3 * tables.get(n).stream().mapToDouble(Row::seconds).sum() / n;
            perImage.add(ms);
            total.append(String.format(" %.3f |", ms));
        }
        for (double ms : perImage.subList(1, perImage.size())) {
            total.append(String.format(" %.2f | |", ms / perImage.get(0)));
        }
        System.out.println(total);
    }

    private static Path rowsFile(Path work, String layout, int n, int size) {
        return work.resolve("rows-" + layout + "-" + n + "-" + size + ".tsv");
    }

    static void writeRows(Path file, List<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(String.join("\t", r.stage(), Double.toString(r.seconds()), Double.toString(r.msPerImage()),
                    Long.toString(r.tasks()), Long.toString(r.jobs()), Long.toString(r.shuffle()),
                    Long.toString(r.files()), Long.toString(r.taskPeak()), Long.toString(r.heapAfterGc()),
                    Long.toString(r.liveHeap()), Long.toString(r.rss())));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
    }

    static List<Row> readRows(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            rows.add(new Row(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]),
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10])));
        }
        return rows;
    }

    /** One stage's figures; per image = over the whole tree's N, so sizes compare directly. */
    record Row(String stage, double seconds, double msPerImage, long tasks, long jobs, long shuffle, long files,
               long taskPeak, long heapAfterGc, long liveHeap, long rss) {
        static Row of(String stage, Map<String, Object> m, int n) {
            double seconds = number(m.get("seconds"));
            Object r = m.get("resources");
            Map<?, ?> res = r instanceof Map<?, ?> map ? map : Map.of();
            return new Row(stage, seconds, 1e3 * seconds / n, (long) number(res.get("tasks")),
                    (long) number(res.get("spark_jobs")), (long) number(res.get("shuffle_bytes")),
                    (long) number(res.get("files_written")), (long) number(res.get("task_peak_execution_memory")),
                    (long) number(res.get("driver_peak_heap")), (long) number(res.get("driver_live_heap")),
                    (long) number(res.get("driver_peak_rss")));
        }
    }

    private static double number(Object o) {
        return o instanceof Number x ? x.doubleValue() : Double.NaN;
    }

    private static void print(int n, int size, String layout, List<Row> rows, List<Row> base, boolean first) {
        System.out.printf("%n%d images (%s layout, %d px), load average %.1f%n%n", n, layout, size,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| stage | seconds | ms/image | tasks | Spark jobs | shuffle MB | files "
                + "| task peak execution MB | driver heap after GC MB | live heap at end MB | RSS MB |"
                + (first ? "" : " ms/image vs first size | live heap vs first |"));
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|" + (first ? "" : "---|---|"));
        for (Row r : rows) {
            StringBuilder sb = new StringBuilder(String.format(
                    "| %s | %.1f | %.3f | %d | %d | %.1f | %d | %.1f | %.0f | %.0f | %.0f |", r.stage(), r.seconds(),
                    r.msPerImage(), r.tasks(), r.jobs(), r.shuffle() / 1e6, r.files(), r.taskPeak() / 1e6,
                    r.heapAfterGc() / 1e6, r.liveHeap() / 1e6, r.rss() / 1e6));
            if (!first) {
                Row b = base.stream().filter(x -> x.stage().equals(r.stage())).findFirst().orElse(null);
                sb.append(b == null ? " | |" : String.format(" %.2f | %.2f |", r.msPerImage() / b.msPerImage(),
                        b.liveHeap() > 0 ? r.liveHeap() / (double) b.liveHeap() : Double.NaN));
            }
            System.out.println(sb);
        }
        double total = rows.stream().mapToDouble(Row::seconds).sum();
        System.out.printf("| all stages | %.1f | %.3f | | | | | | | | |%n", total, 1e3 * total / n);
    }

    /** The tree for (layout, n, size), generated once (seed 11, 20% val) and reused while its marker is there. */
    private static Path tree(Path work, String layout, int n, int size) throws IOException {
        Path dir = work.resolve(layout + "-" + n + "-" + size);
        Path done = dir.resolve("_GENERATED");
        if (Files.exists(done)) {
            return dir;
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        SyntheticSpec spec = new SyntheticSpec(n, size, 11L, 0.2, 4);
        long t0 = System.nanoTime();
        if (layout.equals("lid")) {
            LidExport.write(spec, dir);
        } else {
            VocExport.write(spec, dir);
        }
        System.err.printf("scale-bench: generated %d images (%s, %d px) in %.0f s under %s%n", n, layout, size,
                (System.nanoTime() - t0) / 1e9, dir);
        Files.writeString(done, "");
        return dir;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
