package org.wsss.report;

import org.wsss.spark.SegmentationEval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The confusion matrix of an evaluation's metrics.json as an HTML table heatmap: rows = ground truth, columns =
 * prediction, each row divided by its pixel total so a cell is the share of that class's pixels predicted as the
 * column's label. Pixels predicted as no label (255) get their own column when there are any.
 */
final class ConfusionSection {
    private ConfusionSection() {
    }

    /** Whether {@code metrics} carries a confusion matrix this section can draw. */
    static boolean hasMatrix(Map<String, Object> metrics) {
        return metrics != null && metrics.get(SegmentationEval.CONFUSION_MATRIX) instanceof List<?> rows
                && !rows.isEmpty();
    }

    static String render(String stage, Map<String, Object> metrics) {
        long[][] counts = counts(stage, metrics.get(SegmentationEval.CONFUSION_MATRIX));
        int n = counts.length;
        long[] unassigned = unassigned(metrics.get(SegmentationEval.CONFUSION_UNASSIGNED), n);
        boolean showUnassigned = false;
        for (long u : unassigned) {
            showUnassigned |= u > 0;
        }
        List<String> names = labelNames(metrics, n);
        StringBuilder h = new StringBuilder();
        h.append("<p>From <code>").append(Html.esc(stage)).append("/metrics.json</code>. Each row is one ground-truth "
                + "label; a cell is the share of its pixels predicted as the column's label (row-normalised; "
                + "hover for pixel counts).</p>\n");
        h.append("<table class=\"confusion\" data-stage=\"").append(Html.esc(stage)).append("\">\n");
        h.append("<tr><th class=\"corner\">ground truth \u2193 / prediction \u2192</th>");
        for (String name : names) {
            h.append("<th class=\"col\"><span>").append(Html.esc(name)).append("</span></th>");
        }
        if (showUnassigned) {
            h.append("<th class=\"col\"><span>(no label)</span></th>");
        }
        h.append("</tr>\n");
        for (int g = 0; g < n; g++) {
            long total = unassigned[g];
            for (long c : counts[g]) {
                total += c;
            }
            h.append("<tr><th class=\"row\">").append(Html.esc(names.get(g))).append("</th>");
            for (int p = 0; p < n; p++) {
                cell(h, g, String.valueOf(p), counts[g][p], total);
            }
            if (showUnassigned) {
                cell(h, g, "none", unassigned[g], total);
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static void cell(StringBuilder h, int gt, String pred, long count, long rowTotal) {
        h.append("<td data-gt=\"").append(gt).append("\" data-pred=\"").append(pred).append('"');
        if (rowTotal == 0) {
            h.append(" class=\"empty\" title=\"no ground-truth pixels\"></td>");
            return;
        }
        double share = (double) count / rowTotal;
        // White (share 0) to dark blue (share 1); light text once the background is dark.
        String bg = String.format(Locale.ROOT, "rgb(%d,%d,%d)", shade(share, 8), shade(share, 48),
                shade(share, 107));
        h.append(" data-share=\"").append(String.format(Locale.ROOT, "%.6f", share)).append("\" title=\"")
                .append(count).append(" of ").append(rowTotal).append(" pixels\" style=\"background:").append(bg)
                .append(share > 0.5 ? ";color:#fff" : "").append("\">")
                .append(String.format(Locale.ROOT, "%.0f", 100 * share)).append("</td>");
    }

    private static int shade(double share, int full) {
        return (int) Math.round(255 - share * (255 - full));
    }

    private static long[][] counts(String stage, Object value) {
        List<?> rows = (List<?>) value;
        long[][] counts = new long[rows.size()][];
        for (int g = 0; g < rows.size(); g++) {
            if (!(rows.get(g) instanceof List<?> row) || row.size() != rows.size()) {
                throw new IllegalStateException(stage + "/metrics.json: " + SegmentationEval.CONFUSION_MATRIX
                        + " row " + g + " is not a list of " + rows.size() + " counts");
            }
            counts[g] = new long[row.size()];
            for (int p = 0; p < row.size(); p++) {
                if (!(row.get(p) instanceof Number num)) {
                    throw new IllegalStateException(stage + "/metrics.json: " + SegmentationEval.CONFUSION_MATRIX
                            + "[" + g + "][" + p + "] is not a number: " + row.get(p));
                }
                counts[g][p] = num.longValue();
            }
        }
        return counts;
    }

    private static long[] unassigned(Object value, int n) {
        long[] out = new long[n];
        if (value instanceof List<?> list && list.size() == n) {
            for (int g = 0; g < n; g++) {
                out[g] = list.get(g) instanceof Number num ? num.longValue() : 0;
            }
        }
        return out;
    }

    /** per_class_iou is keyed by label name in label order, background first: the matrix's axis labels. */
    private static List<String> labelNames(Map<String, Object> metrics, int n) {
        List<String> names = new ArrayList<>();
        if (metrics.get("per_class_iou") instanceof Map<?, ?> iou && iou.size() == n) {
            iou.keySet().forEach(k -> names.add(String.valueOf(k)));
            return names;
        }
        for (int i = 0; i < n; i++) {
            names.add("label " + i);
        }
        return names;
    }
}
