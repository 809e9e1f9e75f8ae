package org.wsss.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The inline SVG charts: data mapped onto the plot box, gaps for missing values, bars from zero, and which
 * charts a stage's metrics.json gets. The plot box of a 360-px chart is x 52..346 and y 24..174 (top), worked
 * out by hand from its margins: left 52, right 14, top 24, plot height 150.
 */
class SvgChartTest {
    static final Pattern CIRCLE = Pattern.compile("<circle class=\"point\" r=\"[0-9.]+\" cx=\"([0-9.-]+)\" "
            + "cy=\"([0-9.-]+)\" data-x=\"([^\"]*)\" data-y=\"([^\"]*)\"");
    static final Pattern RECT = Pattern.compile("<rect class=\"point\" x=\"([0-9.-]+)\" y=\"([0-9.-]+)\" "
            + "width=\"([0-9.-]+)\" height=\"([0-9.-]+)\" data-category=\"([^\"]*)\"");

    @Test
    void theDataRangeSpansThePlotBoxAndInnerPointsFallInProportion() {
        String svg = SvgChart.line("loss", "epoch", List.of(
                new SvgChart.Series("train_loss", new double[]{0, 1, 2}, new double[]{0.2, 0.6, 1.0})));
        // x 0..2 onto 52..346; y 0.2..1.0 onto 174..24 (upwards).
        assertEquals(List.of(List.of(52.0, 174.0), List.of(199.0, 99.0), List.of(346.0, 24.0)), circles(svg));
        assertTrue(svg.contains("<polyline fill=\"none\" stroke-width=\"1.6\" points=\"52.00,174.00 199.00,99.00 "
                + "346.00,24.00\"/>"), svg);
        assertTrue(svg.startsWith("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" data-kind=\"line\" "
                + "data-series=\"1\" data-points=\"3\""), svg);
        // One series: no legend, so the height is the plot plus its margins, 24 + 150 + 36.
        assertTrue(svg.contains("width=\"360\" height=\"210\""), svg);
    }

    @Test
    void aMissingValueIsAGapNotAPointAndTheRangeIgnoresIt() {
        String svg = SvgChart.line("f1", "epoch", List.of(new SvgChart.Series("f1",
                new double[]{0, 1, 2, 3, 4}, new double[]{0.5, Double.NaN, 0.7, 0.9, Double.NaN})));
        // x 0..3 (epoch 4 has no value) onto 52..346, y 0.5..0.9 onto 174..24.
        assertEquals(List.of(List.of(52.0, 174.0), List.of(248.0, 99.0), List.of(346.0, 24.0)), circles(svg));
        Matcher poly = Pattern.compile("<polyline[^>]* points=\"([^\"]*)\"").matcher(svg);
        assertTrue(poly.find());
        assertEquals("248.00,99.00 346.00,24.00", poly.group(1), "the line breaks at the gap; a lone point has none");
        assertFalse(poly.find());
        assertTrue(svg.contains("data-points=\"3\""));
        assertFalse(svg.contains("NaN"), svg);
        assertNull(SvgChart.line("none", "epoch", List.of(new SvgChart.Series("a", new double[]{0, 1},
                new double[]{Double.NaN, Double.NaN}))), "no finite value: no chart");
    }

    @Test
    void aSingleValueSitsInTheMiddleOfThePlot() {
        String svg = SvgChart.line("one epoch", "epoch", List.of(
                new SvgChart.Series("a", new double[]{5}, new double[]{0.5})));
        assertEquals(List.of(List.of(199.0, 99.0)), circles(svg));
    }

    @Test
    void severalSeriesShareTheScalesAndGetALegend() {
        String svg = SvgChart.line("loss", "epoch", List.of(
                new SvgChart.Series("run-a", new double[]{0, 1}, new double[]{1, 2}),
                new SvgChart.Series("<run b>", new double[]{0, 2}, new double[]{0, 1})));
        // x 0..2, y 0..2 over both series.
        assertEquals(List.of(List.of(52.0, 99.0), List.of(199.0, 24.0), List.of(52.0, 174.0), List.of(346.0, 99.0)),
                circles(svg));
        assertTrue(svg.contains("data-series=\"2\" data-points=\"4\""), svg);
        assertTrue(svg.contains("<g class=\"series\" data-name=\"&lt;run b&gt;\" data-points=\"2\""), svg);
        assertTrue(svg.contains("</text></g>") && svg.contains(">&lt;run b&gt;</text>"), "legend: " + svg);
        assertFalse(svg.contains("<run b>"), svg);
        // two legend rows of 15 px and 6 px padding under 210
        assertTrue(svg.contains("height=\"246\""), svg);
    }

    @Test
    void barsRiseFromZeroAndSkipMissingValues() {
        String svg = SvgChart.bars("per_class_iou", List.of("background", "<cat>", "dog"),
                List.of(new SvgChart.Bars("iou", new double[]{0.5, 1.0, Double.NaN})));
        // y 0..1 onto 174..24; three groups of 294/3 = 98 px, one bar 96 px wide, 1 px in.
        List<List<Double>> rects = new ArrayList<>();
        List<String> cats = new ArrayList<>();
        Matcher m = RECT.matcher(svg);
        while (m.find()) {
            rects.add(List.of(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))));
            cats.add(m.group(5));
        }
        assertEquals(List.of(List.of(53.0, 99.0, 96.0, 75.0), List.of(151.0, 24.0, 96.0, 150.0)), rects);
        assertEquals(List.of("background", "&lt;cat&gt;"), cats);
        assertTrue(svg.contains("data-kind=\"bar\" data-series=\"1\" data-points=\"2\""), svg);
        assertNull(SvgChart.bars("x", List.of("a"), List.of(new SvgChart.Bars("s", new double[]{Double.NaN}))));
    }

    @Test
    void ticksAreRoundStepsInsideTheRange() {
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), rounded(SvgChart.ticks(0, 1, 5)));
        assertEquals(List.of(0.4, 0.6, 0.8), rounded(SvgChart.ticks(0.31, 0.93, 4)));
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0), rounded(SvgChart.ticks(0, 17, 4)));
    }

    @Test
    void aStageGetsLearningCurvesItsSweepAndPerClassBarsButNoBookkeepingCurves() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("miou", 0.5);
        m.put("epochs", List.of(epoch(0, 1.5, 0.25, null), epoch(1, 1.0, null, 0.4), epoch(2, 0.5, 0.5, 0.6)));
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("0.15", 0.5);
        sweep.put("0.05", 0.25);
        sweep.put("0.25", null);
        m.put("miou_by_threshold", sweep);
        Map<String, Object> iou = new LinkedHashMap<>();
        iou.put("background", 0.75);
        iou.put("cat", null);
        m.put("per_class_iou", iou);
        m.put("per_class_names", Map.of("a", "not a number"));
        List<String> charts = StageCharts.single("train-x", m);
        List<String> titles = charts.stream().map(c -> attr(c, "data-title")).toList();
        assertEquals(List.of("train_loss per epoch", "holdout_micro_f1 per epoch", "holdout_miou per epoch",
                "miou_by_threshold", "per_class_iou"), titles);
        assertEquals(List.of("2", "2", "2"), List.of(attr(charts.get(1), "data-points"),
                attr(charts.get(2), "data-points"), attr(charts.get(3), "data-points")));
        List<String> sweepX = new ArrayList<>();
        Matcher c = CIRCLE.matcher(charts.get(3));
        while (c.find()) {
            sweepX.add(c.group(3));
        }
        assertEquals(List.of("0.05", "0.15"), sweepX, "the sweep in threshold order, null left out");
        assertTrue(charts.get(3).contains(">threshold</text>"), "x axis named after _by_");
        assertEquals("1", attr(charts.get(4), "data-points"));
        Map<String, Object> allNull = new LinkedHashMap<>();
        allNull.put("epochs", List.of(epoch(0, null, null, null)));
        assertEquals(List.of(), StageCharts.single("s", allNull), "no finite value: no chart");
    }

    private static Map<String, Object> epoch(int e, Double loss, Double f1, Double miou) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epoch", e);
        r.put("train_loss", loss);
        r.put("last_learning_rate", 0.01);
        r.put("holdout_micro_f1", f1);
        r.put("holdout_miou", miou);
        r.put("examples", 12);
        r.put("samples_per_second", 3.5);
        r.put("seconds", 2.0);
        return r;
    }

    private static String attr(String svg, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(svg);
        assertTrue(m.find(), name + " in " + svg);
        return m.group(1);
    }

    private static List<List<Double>> circles(String svg) {
        List<List<Double>> out = new ArrayList<>();
        Matcher m = CIRCLE.matcher(svg);
        while (m.find()) {
            out.add(List.of(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))));
        }
        return out;
    }

    private static List<Double> rounded(List<Double> ticks) {
        return ticks.stream().map(t -> Math.round(t * 1e9) / 1e9).toList();
    }
}
