package org.wsss.report;

import org.junit.jupiter.api.Test;
import org.wsss.jobs.StageMarker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The page's stage and confusion-matrix sections, without Spark: escaping, layout of values, row shares. */
class ReportSectionsTest {

    @Test
    void everyStringFromMetricsIsEscaped() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("<script>alert(1)</script>", "a & \"b\" 'c' <d>");
        m.put("per_class_iou", new LinkedHashMap<>(Map.of("<img src=x>", 0.5)));
        StageMarker marker = new StageMarker("x\"><b>", "f", Map.of(), "", "t", "<i>", 1.0, Map.of(), Map.of());
        String html = MetricsSection.render("x\"><b>", marker, m);
        assertFalse(html.contains("<script>") || html.contains("<img") || html.contains("<b>") || html.contains("<i>"),
                html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("a &amp; &quot;b&quot; &#39;c&#39; &lt;d&gt;"), html);
        assertTrue(html.contains("data-stage=\"x&quot;&gt;&lt;b&gt;\""), html);
    }

    @Test
    void scalarsGoInTheTableMapsAndRecordsInSmallTablesAndNullIsNotAvailable() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_images", 24);
        m.put("miou", 0.123456);
        m.put("f1", null);
        m.put("splits", List.of("train", "val"));
        m.put("per_class_iou", new LinkedHashMap<>(Map.of("background", 0.75)));
        // ordered rows as metrics.json gives them (Map.of's order changes from one JVM to the next)
        m.put("epochs", List.of(row(0, 1.5), row(1, 1.25)));
        m.put("confusion_matrix", List.of(List.of(1, 0), List.of(0, 1)));
        m.put("deep", Map.of("a", Map.of("b", 1)));
        String html = MetricsSection.render("s", new StageMarker("s", "f", Map.of(), "", "t",
                "2024-01-02T03:04:05.123456789Z", 2.5, Map.of(), Map.of()), m);
        assertTrue(html.contains("data-key=\"num_images\">24<"), html);
        assertTrue(html.contains("data-key=\"miou\">0.1235<"), html);
        assertTrue(html.contains("data-key=\"f1\">n/a<"), html);
        assertTrue(html.contains("data-key=\"splits\">[train, val]<"), html);
        assertTrue(html.contains("<table class=\"sub\" data-key=\"per_class_iou\">"), html);
        assertTrue(html.contains("<td>background</td><td class=\"num\">0.7500</td>"), html);
        assertTrue(html.contains("<table class=\"sub\" data-key=\"epochs\">"), html);
        assertTrue(html.contains("<td class=\"num\">1</td><td class=\"num\">1.2500</td>"), html);
        assertFalse(html.contains("confusion_matrix"), "the matrix has its own section");
        assertTrue(html.contains("also in metrics.json: deep"), html);
        assertTrue(html.contains("committed 2024-01-02T03:04:05Z, 2.5000 s"), html);
        assertTrue(MetricsSection.render("s", null, null).contains("data-status=\"not-run\""));
    }

    @Test
    void confusionCellsAreRowSharesIncludingUnassignedPixels() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> iou = new LinkedHashMap<>();
        iou.put("background", 0.5);
        iou.put("cat", 0.25);
        m.put("per_class_iou", iou);
        // gt background: 6 bg, 2 cat; gt cat: 1 bg, 3 cat, 4 unassigned; a third label never occurs.
        m.put("confusion_matrix", List.of(List.of(6, 2), List.of(1, 3)));
        m.put("confusion_unassigned", List.of(0, 4));
        assertTrue(ConfusionSection.hasMatrix(m));
        String html = ConfusionSection.render("eval-labels", m);
        Map<String, Double> shares = new LinkedHashMap<>();
        Matcher td = Pattern.compile("data-gt=\"(\\d)\" data-pred=\"(\\d|none)\" data-share=\"([0-9.]+)\"")
                .matcher(html);
        while (td.find()) {
            shares.put(td.group(1) + "," + td.group(2), Double.parseDouble(td.group(3)));
        }
        assertEquals(Map.of("0,0", 0.75, "0,1", 0.25, "0,none", 0.0, "1,0", 0.125, "1,1", 0.375, "1,none", 0.5),
                shares);
        assertTrue(html.contains("<th class=\"row\">background</th>") && html.contains("<th class=\"row\">cat</th>"));
        assertTrue(html.contains("title=\"3 of 8 pixels\""), html);
    }

    @Test
    void aRowWithoutPixelsIsEmptyAndNamesFallBackToIndices() {
        Map<String, Object> m = Map.of("confusion_matrix", List.of(List.of(0, 0), List.of(2, 2)));
        String html = ConfusionSection.render("evaluate", m);
        assertTrue(html.contains("<td data-gt=\"0\" data-pred=\"0\" class=\"empty\""), html);
        assertTrue(html.contains("<th class=\"row\">label 1</th>"), html);
        assertFalse(html.contains("data-pred=\"none\""), "no unassigned column without unassigned pixels");
        assertFalse(ConfusionSection.hasMatrix(Map.of("miou", 0.5)));
    }

    private static Map<String, Object> row(int epoch, double loss) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epoch", epoch);
        r.put("loss", loss);
        return r;
    }
}
