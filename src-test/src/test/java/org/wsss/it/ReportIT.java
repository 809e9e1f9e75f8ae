package org.wsss.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.jobs.StageMarker;
import org.wsss.jobs.Stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `wsss report` on a run directory made by the real stages (ingest through eval-labels on a small synthetic set)
 * plus a hand-made predict output: the page has a metrics table per committed stage, the learning curves, CAM
 * threshold sweep and per-class IoU bars with the points metrics.json has, the confusion matrix of eval-labels
 * row-normalised, the sample rows the manifest says; every image on it loads and every chart is drawn with data
 * in Chromium. `report --compare` on that run and an altered copy shows values, differences, dashes and overlays.
 */
class ReportIT {
    static final int IMAGES = 24;
    static final List<String> SETS = List.of("runtime.local-master=local[2]",
            "dataset.synthetic.count=" + IMAGES, "dataset.synthetic.size=48", "classifier.epochs=1",
            "classifier.input-size=48", "classifier.batch-size=8", "classifier.holdout-fraction=0.2",
            "cam.scales=[1.0]", "cam.flip=false", "cam.sample-heatmaps=0", "affinity.input-size=48",
            "affinity.epochs=1", "affinity.batch-size=4", "walk.steps=16");
    static final Pattern IMG = Pattern.compile("<img\\b[^>]*>");
    static final Pattern ATTR = Pattern.compile("([a-zA-Z-]+)=\"([^\"]*)\"");

    @TempDir
    Path tmp;

    @Test
    void reportShowsEveryStageTheConfusionMatrixAndSampleImagesThatLoadInChromium() throws Exception {
        try (HeadlessChromium chromium = new HeadlessChromium(tmp, tmp)) {
            Path run = tmp.resolve("run");
            Cli.Result p = Cli.run(cli("pipeline", "--until", "eval-labels", "--run-dir", run.toString()));
            assertEquals(0, p.exitCode(), p.err());

            Expected want = expected(run, 8);
            String predicted = want.ids().get(0);
            LabelMask prediction = writePrediction(run, predicted, want.gtMasks().get(predicted));

            Cli.Result r = Cli.run(cli("report", "--run-dir", run.toString()));
            assertEquals(0, r.exitCode(), r.err());
            Path report = run.resolve("report");
            assertTrue(r.out().contains(report.resolve("index.html").toString()), r.out());
            String html = Files.readString(report.resolve("index.html"));

            checkStageTables(run, html);
            checkConfusionMatrix(run, html);
            checkSamples(report, html, want, predicted, prediction);
            String dom = checkImagesLoad(chromium, html, "run/report/index.html");
            checkStageCharts(run, html);
            checkChartsDrawn(dom, html);

            checkComparePage(chromium, run, makeSecondRun(run, tmp.resolve("run-b")));

            // A stage without its commit marker (a killed run) is "not run", and a second report goes elsewhere.
            Files.delete(run.resolve("train-affinity/_STAGE.json"));
            Path other = tmp.resolve("other");
            Cli.Result r2 = Cli.run(cli("report", "--run-dir", run.toString(), "--out", other.toString(),
                    "--samples", "2"));
            assertEquals(0, r2.exitCode(), r2.err());
            String html2 = Files.readString(other.resolve("index.html"));
            assertEquals("not-run", section(html2, "train-affinity").get("data-status"));
            assertFalse(html2.contains("<table class=\"metrics\" data-stage=\"train-affinity\""));
            assertTrue(html2.contains("<table class=\"metrics\" data-stage=\"random-walk\""));
            assertEquals(want.ids().subList(0, 2),
                    sampleRows(html2).stream().map(m -> m.get("data-image-id")).toList());
            checkImagesLoad(chromium, html2, "other/index.html");
        }
    }

    @Test
    void reportIsACommandAndBadArgumentsAreRefusedWithTheReason() {
        assertTrue(Cli.run("--help").out().contains("report"), "wsss --help lists the report command");
        Path missing = tmp.resolve("no-such-run");
        Cli.Result r = Cli.run("report", "--run-dir", missing.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--run-dir " + missing + ": no such directory"), r.err());
        Cli.Result neg = Cli.run("report", "--run-dir", tmp.toString(), "--samples", "-1");
        assertEquals(2, neg.exitCode());
        assertTrue(neg.err().contains("--samples must be 0 or more, got -1"), neg.err());
        Cli.Result none = Cli.run("report");
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("report needs --run-dir DIR or --compare DIR_A DIR_B [...], exactly one of "
                + "them; got neither"), none.err());
        Cli.Result one = Cli.run("report", "--compare", tmp.toString());
        assertEquals(2, one.exitCode(), "--compare takes two runs or more");
        assertTrue(one.err().contains("--compare"), one.err());
        Cli.Result gone = Cli.run("report", "--compare", tmp.toString(), missing.toString());
        assertEquals(2, gone.exitCode());
        assertTrue(gone.err().contains("--compare " + missing + ": no such directory"), gone.err());
    }

    private static String[] cli(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        for (String s : SETS) {
            all.add("--set");
            all.add(s);
        }
        return all.toArray(String[]::new);
    }

    /** What the manifest and CAM Parquet say, read with DuckDB (not Spark): sample ids, CAM classes, masks. */
    record Expected(List<String> ids, Map<String, String> splits, Map<String, Integer> camClasses,
                    Map<String, LabelMask> gtMasks) {
    }

    private static Expected expected(Path run, int samples) throws Exception {
        List<String> ids = new ArrayList<>();
        Map<String, String> splits = new HashMap<>();
        Map<String, LabelMask> masks = new HashMap<>();
        Map<String, Integer> camClasses = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT image_id, split, mask FROM read_parquet('"
                    + run.resolve("ingest/manifest") + "/*.parquet') ORDER BY split <> 'val', image_id LIMIT "
                    + samples)) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    splits.put(rs.getString(1), rs.getString(2));
                    masks.put(rs.getString(1), ImageCodec.decodeMask(rs.getBytes(3), rs.getString(1)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT image_id, len(classes) FROM read_parquet('"
                    + run.resolve("make-cams/cams") + "/*.parquet')")) {
                while (rs.next()) {
                    camClasses.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        assertEquals(samples, ids.size());
        assertEquals("val", splits.get(ids.get(0)), "the synthetic set has a val split");
        return new Expected(ids, splits, camClasses, masks);
    }

    /** The predict stage's layout: a committed marker and a VOC-palette PNG per image id under predict/png/. */
    private static LabelMask writePrediction(Path run, String id, LabelMask gt) throws Exception {
        byte[] labels = new byte[gt.width() * gt.height()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % gt.width() < gt.width() / 2 ? 0 : 1);
        }
        LabelMask m = new LabelMask(gt.width(), gt.height(), labels);
        Path dir = Files.createDirectories(run.resolve("predict/png"));
        Files.write(dir.resolve(id + ".png"), ImageCodec.encodePaletteMask(m));
        Files.writeString(run.resolve("predict/metrics.json"), "{\"num_images\": 1}\n");
        String now = Instant.now().toString();
        Files.writeString(run.resolve("predict/" + StageMarker.FILE),
                new StageMarker("predict", "test", Map.of(), "", now, now, 0.0, files(run.resolve("predict")), Map.of())
                        .toJson());
        return m;
    }

    private static void checkStageTables(Path run, String html) throws Exception {
        for (String stage : Stages.names()) {
            boolean committed = Files.exists(run.resolve(stage).resolve(StageMarker.FILE));
            Map<String, String> section = section(html, stage);
            assertEquals(committed ? "committed" : "not-run", section.get("data-status"), stage);
            assertEquals(committed, html.contains("<table class=\"metrics\" data-stage=\"" + stage + "\">"), stage);
        }
        assertEquals(String.valueOf(IMAGES), cellValue(html, "ingest", "num_images"), "ingested images");
        JsonNode labels = new ObjectMapper().readTree(run.resolve("eval-labels/metrics.json").toFile());
        assertEquals(String.format("%.4f", labels.get("miou").asDouble()), cellValue(html, "eval-labels", "miou"));
        String evalSection = html.substring(html.indexOf("data-stage=\"eval-labels\""));
        assertTrue(evalSection.contains("<table class=\"sub\" data-key=\"per_class_iou\">"), "per-class IoU table");
    }

    /** The matrix in metrics.json agrees with its scores, and the page shows each row divided by its total. */
    private static void checkConfusionMatrix(Path run, String html) throws Exception {
        JsonNode m = new ObjectMapper().readTree(run.resolve("eval-labels/metrics.json").toFile());
        JsonNode classes = new ObjectMapper().readTree(run.resolve("ingest/classes.json").toFile()).get("classes");
        JsonNode cm = m.get("confusion_matrix");
        JsonNode unassigned = m.get("confusion_unassigned");
        int n = classes.size() + 1;
        assertEquals(n, cm.size(), "background + every class");
        long correct = 0, total = 0;
        long[] rowTotal = new long[n], colTotal = new long[n];
        for (int g = 0; g < n; g++) {
            assertEquals(n, cm.get(g).size());
            rowTotal[g] = unassigned.get(g).asLong();
            for (int p = 0; p < n; p++) {
                long c = cm.get(g).get(p).asLong();
                rowTotal[g] += c;
                colTotal[p] += c;
            }
            correct += cm.get(g).get(g).asLong();
            total += rowTotal[g];
        }
        assertTrue(total > 0);
        assertEquals(m.get("pixel_accuracy").asDouble(), (double) correct / total, 1e-12);
        List<String> names = new ArrayList<>(List.of("background"));
        classes.forEach(c -> names.add(c.asText()));
        for (int c = 0; c < n; c++) {
            long tp = cm.get(c).get(c).asLong();
            long union = rowTotal[c] + colTotal[c] - tp;
            JsonNode iou = m.get("per_class_iou").get(names.get(c));
            if (union > 0) {
                assertEquals(iou.asDouble(), (double) tp / union, 1e-12, names.get(c));
            }
        }

        assertTrue(html.contains("<table class=\"confusion\" data-stage=\"eval-labels\">"),
                "eval-labels' matrix is drawn when there is no evaluate stage");
        String table = html.substring(html.indexOf("<table class=\"confusion\""));
        table = table.substring(0, table.indexOf("</table>"));
        List<String> rowNames = new ArrayList<>();
        Matcher th = Pattern.compile("<th class=\"row\">([^<]*)</th>").matcher(table);
        while (th.find()) {
            rowNames.add(th.group(1));
        }
        assertEquals(names, rowNames, "ground-truth rows, background first");
        int cells = 0;
        Matcher td = Pattern.compile("<td data-gt=\"(\\d+)\" data-pred=\"(\\d+|none)\"([^>]*)>").matcher(table);
        while (td.find()) {
            int g = Integer.parseInt(td.group(1));
            long count = td.group(2).equals("none") ? unassigned.get(g).asLong()
                    : cm.get(g).get(Integer.parseInt(td.group(2))).asLong();
            Matcher share = Pattern.compile("data-share=\"([0-9.]+)\"").matcher(td.group(3));
            if (rowTotal[g] == 0) {
                assertFalse(share.find(), "a row without pixels has no shares");
            } else {
                assertTrue(share.find(), td.group());
                assertEquals((double) count / rowTotal[g], Double.parseDouble(share.group(1)), 1e-6, td.group());
            }
            cells++;
        }
        assertTrue(cells == n * n || cells == n * (n + 1), "one cell per (gt, pred) pair: " + cells);
    }

    private static void checkSamples(Path report, String html, Expected want, String predicted, LabelMask prediction)
            throws Exception {
        List<Map<String, String>> rows = sampleRows(html);
        assertEquals(want.ids(), rows.stream().map(r -> r.get("data-image-id")).toList(), "val first, by image id");
        for (Map<String, String> row : rows) {
            String id = row.get("data-image-id");
            assertEquals(want.splits().get(id), row.get("data-split"));
            assertEquals(1, imgs(row.get("image")).size(), id + " input");
            assertEquals(want.camClasses().get(id), imgs(row.get("cams")).size(), id + ": one CAM per class");
            assertEquals(1, imgs(row.get("pseudo")).size(), id + " pseudo-label");
            assertEquals(1, imgs(row.get("gt")).size(), id + " ground truth");
            LabelMask gt = ImageCodec.decodeMask(Files.readAllBytes(report.resolve(imgs(row.get("gt")).get(0))), id);
            assertArrayEquals(want.gtMasks().get(id).labels(), gt.labels(), id + ": ground truth as in the manifest");
            List<String> pred = imgs(row.get("pred"));
            if (id.equals(predicted)) {
                assertEquals(1, pred.size(), "the image with a prediction shows it");
                LabelMask shown = ImageCodec.decodeMask(Files.readAllBytes(report.resolve(pred.get(0))), id);
                assertArrayEquals(prediction.labels(), shown.labels());
            } else {
                assertEquals(List.of(), pred, id + " has no prediction");
                assertTrue(row.get("pred").contains("\u2014"), id + ": a dash where the prediction is missing");
            }
        }
    }

    /** Every image on the page is requested, served and decoded by Chromium; returns the loaded DOM. */
    private static String checkImagesLoad(HeadlessChromium chromium, String html, String page) throws Exception {
        List<String> sources = new ArrayList<>();
        Matcher img = IMG.matcher(html);
        while (img.find()) {
            sources.add(attrs(img.group()).get("src"));
        }
        assertFalse(sources.isEmpty());
        String dom = chromium.loadedDom(page);
        assertTrue(dom.contains("data-images-checked=\"" + sources.size() + "\""),
                "the page's load event ran and saw " + sources.size() + " images");
        Matcher loaded = IMG.matcher(dom);
        int checked = 0;
        while (loaded.find()) {
            Map<String, String> a = attrs(loaded.group());
            assertEquals("yes", a.get("data-loaded"), "image did not load in Chromium: " + a.get("src"));
            checked++;
        }
        assertEquals(sources.size(), checked);
        String dir = page.substring(0, page.lastIndexOf('/') + 1);
        for (String src : sources) {
            assertEquals(200, chromium.served.get("/" + dir + src), src + " served");
        }
        return dom;
    }

    /** Learning curves, the CAM threshold sweep and per-class IoU bars, each with the points its metrics.json has. */
    private static void checkStageCharts(Path run, String html) throws Exception {
        JsonNode cls = new ObjectMapper().readTree(run.resolve("train-classifier/metrics.json").toFile());
        Map<String, String> loss = chart(stageHtml(html, "train-classifier"), "train_loss per epoch");
        assertEquals("line", loss.get("data-kind"));
        assertEquals(String.valueOf(cls.get("epochs").size()), loss.get("data-points"), "a point per epoch");
        assertNotNull(chart(stageHtml(html, "train-classifier"), "holdout_micro_f1 per epoch"));
        assertFalse(html.contains("data-title=\"last_learning_rate per epoch\""), "bookkeeping has no curve");
        assertNotNull(chart(stageHtml(html, "train-affinity"), "train_loss per epoch"));

        JsonNode cams = new ObjectMapper().readTree(run.resolve("eval-cams/metrics.json").toFile());
        assertEquals(String.valueOf(nonNull(cams.get("miou_by_threshold"))),
                chart(stageHtml(html, "eval-cams"), "miou_by_threshold").get("data-points"), "the sweep");
        for (String eval : List.of("eval-cams", "eval-labels")) {
            JsonNode m = new ObjectMapper().readTree(run.resolve(eval + "/metrics.json").toFile());
            Map<String, String> bars = chart(stageHtml(html, eval), "per_class_iou");
            assertEquals("bar", bars.get("data-kind"), eval);
            assertEquals(String.valueOf(nonNull(m.get("per_class_iou"))), bars.get("data-points"), eval);
        }
    }

    /**
     * In Chromium, every chart on the page has a size, at least one series with a point, and all its points drawn
     * inside it; and the page's script saw them all.
     */
    private static void checkChartsDrawn(String dom, String html) {
        int charts = count(html, "<svg class=\"chart\"");
        assertTrue(charts > 0, "the page has charts");
        assertTrue(dom.contains("data-charts-checked=\"" + charts + "\""), "the load script saw " + charts + " charts");
        Matcher svg = Pattern.compile("<svg class=\"chart\"[^>]*>").matcher(dom);
        int seen = 0;
        while (svg.find()) {
            Map<String, String> a = attrs(svg.group());
            String title = a.get("data-title");
            String[] box = a.get("data-box").split("x");
            assertTrue(Integer.parseInt(box[0]) > 0 && Integer.parseInt(box[1]) > 0, title + " has no size: " + a);
            assertTrue(Integer.parseInt(a.get("data-drawn-series")) >= 1, title + " has no series drawn: " + a);
            assertEquals(a.get("data-points"), a.get("data-drawn-points"), title + ": every point drawn inside");
            seen++;
        }
        assertEquals(charts, seen);
    }

    /**
     * A second run for --compare: the first run's markers and metrics.json (all the comparison reads) without
     * train-affinity, with eval-labels' mIoU set to 0.75 and train-classifier's epochs replaced by two.
     */
    private static Path makeSecondRun(Path run, Path runB) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String stage : Stages.names()) {
            Path marker = run.resolve(stage).resolve(StageMarker.FILE);
            if (stage.equals("train-affinity") || !Files.exists(marker)) {
                continue;
            }
            Files.createDirectories(runB.resolve(stage));
            Files.copy(marker, runB.resolve(stage).resolve(StageMarker.FILE));
            Path metrics = run.resolve(stage).resolve("metrics.json");
            if (Files.exists(metrics)) {
                Files.copy(metrics, runB.resolve(stage).resolve("metrics.json"));
            }
        }
        ObjectNode labels = (ObjectNode) json.readTree(runB.resolve("eval-labels/metrics.json").toFile());
        labels.put("miou", 0.75);
        json.writeValue(runB.resolve("eval-labels/metrics.json").toFile(), labels);
        ObjectNode cls = (ObjectNode) json.readTree(runB.resolve("train-classifier/metrics.json").toFile());
        ArrayNode epochs = cls.putArray("epochs");
        epochs.addObject().put("epoch", 0).put("train_loss", 0.5);
        epochs.addObject().put("epoch", 1).put("train_loss", 0.25);
        json.writeValue(runB.resolve("train-classifier/metrics.json").toFile(), cls);
        for (String stage : Stages.names()) {
            // a marker records its folder's files: run-b's folders hold metrics.json alone, some of them edited
            Path marker = runB.resolve(stage).resolve(StageMarker.FILE);
            if (Files.exists(marker)) {
                ObjectNode m = (ObjectNode) json.readTree(marker.toFile());
                m.set("files", json.valueToTree(files(runB.resolve(stage))));
                json.writeValue(marker.toFile(), m);
            }
        }
        return runB;
    }

    /** The files under a stage folder as its marker records them: relative path to size, the marker left out. */
    private static Map<String, Long> files(Path dir) throws Exception {
        Map<String, Long> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!rel.equals(StageMarker.FILE)) {
                    files.put(rel, Files.size(p));
                }
            }
        }
        return files;
    }

    /** `report --compare run run-b`: per-stage values and differences, dashes for the missing stage, overlays. */
    private static void checkComparePage(HeadlessChromium chromium, Path run, Path runB) throws Exception {
        Cli.Result c = Cli.run("report", "--compare", run.toString(), runB.toString());
        assertEquals(0, c.exitCode(), c.err());
        Path index = run.resolve("report-compare/index.html");
        assertTrue(c.out().contains(index.toString()), "default folder: the first run's report-compare/ " + c.out());
        String html = Files.readString(index);

        double miou = new ObjectMapper().readTree(run.resolve("eval-labels/metrics.json").toFile()).get("miou")
                .asDouble();
        String labels = compareStage(html, "eval-labels");
        assertEquals(List.of(String.format("%.4f", miou), "0.7500", String.format("%+.4f", 0.75 - miou)),
                compareRow(labels, "miou"));
        assertTrue(labels.contains("<th data-run=\"0\">run</th><th data-run=\"1\">run-b</th>"), labels);
        JsonNode ingest = new ObjectMapper().readTree(run.resolve("ingest/metrics.json").toFile());
        assertEquals(List.of(ingest.get("num_images").asText(), ingest.get("num_images").asText(), "+0"),
                compareRow(compareStage(html, "ingest"), "num_images"));

        String affinity = compareStage(html, "train-affinity");
        assertEquals(List.of("committed", "not run", ""), compareRow(affinity, "status"));
        assertEquals("\u2014", compareRow(affinity, "train_loss").get(1), "a dash where run-b lacks the stage");
        assertEquals("\u2014", compareRow(affinity, "train_loss").get(2));
        assertEquals("1", chart(affinity, "train_loss per epoch").get("data-series"), "only run has the curve");

        JsonNode cls = new ObjectMapper().readTree(run.resolve("train-classifier/metrics.json").toFile());
        Map<String, String> loss = chart(compareStage(html, "train-classifier"), "train_loss per epoch");
        assertEquals("2", loss.get("data-series"), "one curve per run");
        assertEquals(String.valueOf(cls.get("epochs").size() + 2), loss.get("data-points"));
        assertEquals("2", chart(labels, "per_class_iou").get("data-series"));

        checkChartsDrawn(chromium.loadedDom("run/report-compare/index.html"), html);
    }

    private static String compareStage(String html, String stage) {
        int at = html.indexOf("<section class=\"compare-stage\" id=\"stage-" + stage + "\"");
        assertTrue(at >= 0, "no comparison of " + stage);
        return html.substring(at, html.indexOf("</section>", at));
    }

    /** A comparison row's cells after the metric name, the dash as the character it shows. */
    private static List<String> compareRow(String section, String key) {
        Matcher row = Pattern.compile("<tr data-key=\"" + Pattern.quote(key) + "\"><td>[^<]*</td>(.*?)</tr>")
                .matcher(section);
        assertTrue(row.find(), "no row " + key);
        List<String> cells = new ArrayList<>();
        Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(row.group(1));
        while (td.find()) {
            cells.add(td.group(1).replaceAll("<[^>]*>", ""));
        }
        return cells;
    }

    private static String stageHtml(String html, String stage) {
        int at = html.indexOf("<section class=\"stage\" id=\"stage-" + stage + "\"");
        assertTrue(at >= 0, "no section for " + stage);
        return html.substring(at, html.indexOf("</section>", at));
    }

    /** The attributes of the chart titled {@code title} in {@code html}. */
    private static Map<String, String> chart(String html, String title) {
        Matcher m = Pattern.compile("<svg class=\"chart\"[^>]*data-title=\"" + Pattern.quote(title) + "\"[^>]*>")
                .matcher(html);
        assertTrue(m.find(), "no chart '" + title + "'");
        return attrs(m.group());
    }

    private static int nonNull(JsonNode map) {
        int n = 0;
        for (JsonNode v : map) {
            n += v.isNumber() ? 1 : 0;
        }
        return n;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static Map<String, String> section(String html, String stage) {
        Matcher m = Pattern.compile("<section class=\"stage\"[^>]*data-stage=\"" + Pattern.quote(stage)
                + "\"[^>]*>").matcher(html);
        assertTrue(m.find(), "no section for stage " + stage);
        return attrs(m.group());
    }

    private static String cellValue(String html, String stage, String key) {
        String section = html.substring(html.indexOf("<table class=\"metrics\" data-stage=\"" + stage + "\">"));
        section = section.substring(0, section.indexOf("</table>"));
        Matcher m = Pattern.compile("data-key=\"" + Pattern.quote(key) + "\">([^<]*)<").matcher(section);
        assertTrue(m.find(), stage + " has no " + key);
        return m.group(1);
    }

    /** Each sample row's attributes, plus its cells' HTML by data-col. */
    private static List<Map<String, String>> sampleRows(String html) {
        List<Map<String, String>> rows = new ArrayList<>();
        Matcher tr = Pattern.compile("(<tr class=\"sample\"[^>]*>)(.*?)</tr>", Pattern.DOTALL).matcher(html);
        while (tr.find()) {
            Map<String, String> row = new LinkedHashMap<>(attrs(tr.group(1)));
            Matcher td = Pattern.compile("<td data-col=\"([a-z]+)\">(.*?)</td>", Pattern.DOTALL).matcher(tr.group(2));
            while (td.find()) {
                row.put(td.group(1), td.group(2));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> imgs(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = IMG.matcher(cell);
        while (m.find()) {
            out.add(attrs(m.group()).get("src"));
        }
        return out;
    }

    private static Map<String, String> attrs(String tag) {
        Map<String, String> a = new HashMap<>();
        Matcher m = ATTR.matcher(tag);
        while (m.find()) {
            a.put(m.group(1), m.group(2));
        }
        return a;
    }
}
