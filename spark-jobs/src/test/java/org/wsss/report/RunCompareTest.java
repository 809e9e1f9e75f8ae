package org.wsss.report;

import org.junit.jupiter.api.Test;
import org.wsss.jobs.StageMarker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The comparison page's parts without a file system: differences, run labels, a stage's table and charts. */
class RunCompareTest {

    @Test
    void differencesAreEachRunMinusTheReference() {
        assertEquals("+0.1250", RunCompare.difference(0.5, 0.625));
        assertEquals("-0.0300", RunCompare.difference(0.33, 0.30));
        assertEquals("-4", RunCompare.difference(24, 20), "counts stay whole");
        assertEquals("+0", RunCompare.difference(7L, 7));
        assertEquals("+0.5000", RunCompare.difference(0.5, 1), "an integer against a fraction");
        assertNull(RunCompare.difference(null, 0.3), "NaN is written as null");
        assertNull(RunCompare.difference(0.3, "adam"));
        assertNull(RunCompare.difference(Double.NaN, 0.1));
    }

    @Test
    void runsAreLabelledByFolderNameUnlessTwoShareIt() {
        assertEquals(List.of("/x/run", "/y/run", "other"), RunCompare.labels(List.of("/x/run", "/y/run", "/z/other")));
        assertEquals(List.of("a", "b"), RunCompare.labels(List.of("file:///t/a", "hdfs://nn/t/b/")));
    }

    @Test
    void aStageTableHasEachRunsValueItsDifferenceAndADashWhereARunLacksTheStage() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("miou", 0.5);
        a.put("num_images", 20);
        a.put("per_class_iou", iou(0.75, 0.25));
        a.put("optimizer", "sgd");
        a.put("epochs", List.of(Map.of("epoch", 0, "train_loss", 1.0)));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("miou", 0.625);
        b.put("num_images", 24);
        b.put("per_class_iou", iou(0.5, null));
        b.put("optimizer", "adam");
        List<RunCompare.StageRun> runs = List.of(new RunCompare.StageRun(marker(10.0), a),
                new RunCompare.StageRun(marker(12.5), b), new RunCompare.StageRun(null, null));
        String html = RunCompare.stageSection("eval-labels", List.of("base", "<crf>", "c"), runs);

        assertEquals(List.of("0.5000", "0.6250", "+0.1250", "-", "-"), cells(html, "miou"));
        assertEquals(List.of("20", "24", "+4", "-", "-"), cells(html, "num_images"));
        assertEquals(List.of("10.0000", "12.5000", "+2.5000", "-", "-"), cells(html, "seconds"));
        assertEquals(List.of("sgd", "adam", "-", "-", "-"), cells(html, "optimizer"), "no difference of strings");
        assertEquals(List.of("committed", "committed", "", "not run", ""), cells(html, "status"));
        assertTrue(html.contains("<th class=\"diff\" data-run=\"1\">\u0394 &lt;crf&gt; \u2212 base</th>"), html);
        assertFalse(html.contains("<crf>"), html);

        // per-class IoU overlaid: a bar series for each run that has the stage, none for the third
        Matcher svg = Pattern.compile("<svg class=\"chart\"[^>]*data-kind=\"bar\" data-series=\"(\\d+)\" "
                + "data-points=\"(\\d+)\" data-title=\"per_class_iou\"").matcher(html);
        assertTrue(svg.find(), html);
        assertEquals("2", svg.group(1));
        assertEquals("3", svg.group(2), "2 values of base, 1 of <crf> (its null left out)");
        assertTrue(html.contains("<g class=\"series\" data-name=\"base\"")
                && html.contains("<g class=\"series\" data-name=\"&lt;crf&gt;\""), html);
        // a curve only one run has still names that run
        String curve = html.substring(html.indexOf("data-title=\"train_loss per epoch\""));
        curve = curve.substring(0, curve.indexOf("</svg>"));
        assertTrue(html.contains("data-series=\"1\" data-points=\"1\" data-title=\"train_loss per epoch\""), html);
        assertTrue(curve.matches("(?s).*<g class=\"legend\">.*>base</text></g>.*"), curve);
    }

    private static StageMarker marker(double seconds) {
        return new StageMarker("eval-labels", "f", Map.of(), "", "t", "2024-01-01T00:00:00Z", seconds, Map.of(), Map.of());
    }

    private static Map<String, Object> iou(Double bg, Double cat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("background", bg);
        m.put("cat", cat);
        return m;
    }

    /** The text of a metric row's cells after its name, the dash as "-". */
    private static List<String> cells(String html, String key) {
        Matcher row = Pattern.compile("<tr data-key=\"" + key + "\"><td>[^<]*</td>(.*?)</tr>").matcher(html);
        assertTrue(row.find(), key + " row in " + html);
        Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(row.group(1));
        List<String> out = new ArrayList<>();
        while (td.find()) {
            out.add(td.group(1).replace(Html.MISSING, "-"));
        }
        return out;
    }
}
