package org.wsss.report;

import org.wsss.jobs.StageMarker;
import org.wsss.spark.SegmentationEval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stage's part of the page: its commit status, a table of its scalar metrics (short lists inline), its charts
 * ({@link StageCharts}: learning curves, sweeps, per-class bars), and a small table for each map of scalars
 * (per_class_iou, ...) and each list of such maps (per-epoch history).
 */
final class MetricsSection {
    /** Longest list of scalars shown inline; longer ones are summarised by their length. */
    static final int MAX_INLINE_LIST = 16;

    private MetricsSection() {
    }

    /** @param marker the stage's commit marker, null when it has not run; metrics null when it has none */
    static String render(String stage, StageMarker marker, Map<String, Object> metrics) {
        StringBuilder h = new StringBuilder();
        String status = marker == null ? "not-run" : "committed";
        h.append("<section class=\"stage\" id=\"stage-").append(Html.esc(stage)).append("\" data-stage=\"")
                .append(Html.esc(stage)).append("\" data-status=\"").append(status).append("\">\n");
        h.append("<h3>").append(Html.esc(stage)).append("</h3>\n");
        if (marker == null) {
            h.append("<p class=\"status not-run\">not run (no committed output in this run directory)</p>\n");
            return h.append("</section>\n").toString();
        }
        h.append("<p class=\"status\">committed ").append(Html.esc(Html.time(marker.finished())))
                .append(", ")
                .append(Html.esc(Html.number(marker.seconds()))).append(" s</p>\n");
        if (metrics == null) {
            h.append("<p class=\"status\">no metrics.json</p>\n");
            return h.append("</section>\n").toString();
        }
        StringBuilder nested = new StringBuilder();
        List<String> notShown = new ArrayList<>();
        h.append("<table class=\"metrics\" data-stage=\"").append(Html.esc(stage)).append("\">\n")
                .append("<tr><th>metric</th><th>value</th></tr>\n");
        for (Map.Entry<String, Object> e : metrics.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (key.equals(SegmentationEval.CONFUSION_MATRIX) || key.equals(SegmentationEval.CONFUSION_UNASSIGNED)) {
                continue;
            }
            if (isScalar(v)) {
                row(h, key, Html.esc(Html.number(v)));
            } else if (v instanceof List<?> list && list.stream().allMatch(MetricsSection::isScalar)) {
                row(h, key, Html.esc(inlineList(list)));
            } else if (v instanceof Map<?, ?> map && map.values().stream().allMatch(MetricsSection::isScalar)) {
                keyValueTable(nested, key, map);
            } else if (v instanceof List<?> list && !list.isEmpty()
                    && list.stream().allMatch(MetricsSection::isMapOfScalars)) {
                recordTable(nested, key, list);
            } else {
                notShown.add(key);
            }
        }
        h.append("</table>\n").append(StageCharts.block(StageCharts.single(stage, metrics))).append(nested);
        if (!notShown.isEmpty()) {
            h.append("<p class=\"note\">also in metrics.json: ").append(Html.esc(String.join(", ", notShown)))
                    .append("</p>\n");
        }
        return h.append("</section>\n").toString();
    }

    private static void row(StringBuilder h, String key, String escapedValue) {
        h.append("<tr><td>").append(Html.esc(key)).append("</td><td class=\"num\" data-key=\"").append(Html.esc(key))
                .append("\">").append(escapedValue).append("</td></tr>\n");
    }

    private static String inlineList(List<?> list) {
        if (list.size() > MAX_INLINE_LIST) {
            return "(" + list.size() + " values)";
        }
        List<String> parts = new ArrayList<>();
        for (Object o : list) {
            parts.add(Html.number(o));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static void keyValueTable(StringBuilder h, String key, Map<?, ?> map) {
        h.append("<table class=\"sub\" data-key=\"").append(Html.esc(key)).append("\"><caption>")
                .append(Html.esc(key)).append("</caption>\n");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            h.append("<tr><td>").append(Html.esc(e.getKey())).append("</td><td class=\"num\">")
                    .append(Html.esc(Html.number(e.getValue()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void recordTable(StringBuilder h, String key, List<?> records) {
        Set<Object> columns = new LinkedHashSet<>();
        for (Object r : records) {
            columns.addAll(((Map<?, ?>) r).keySet());
        }
        h.append("<table class=\"sub\" data-key=\"").append(Html.esc(key)).append("\"><caption>")
                .append(Html.esc(key)).append("</caption>\n<tr>");
        for (Object c : columns) {
            h.append("<th>").append(Html.esc(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (Object r : records) {
            h.append("<tr>");
            for (Object c : columns) {
                Map<?, ?> m = (Map<?, ?>) r;
                h.append("<td class=\"num\">").append(m.containsKey(c) ? Html.esc(Html.number(m.get(c))) : "")
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static boolean isScalar(Object v) {
        return v == null || v instanceof Number || v instanceof String || v instanceof Boolean;
    }

    private static boolean isMapOfScalars(Object v) {
        return v instanceof Map<?, ?> m && m.values().stream().allMatch(MetricsSection::isScalar);
    }
}
