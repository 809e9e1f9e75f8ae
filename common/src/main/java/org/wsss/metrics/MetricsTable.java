package org.wsss.metrics;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plain-text table of several stages' metrics for a terminal: one row per stage, one column per
 * metric key. Integers are printed as they are, other numbers with 4 decimals, NaN/infinite as
 * "NaN"/"Inf"/"-Inf", a missing or null value as "-". A column holding only numbers (or missing
 * values) is right-aligned, header included; other columns are left-aligned.
 */
public final class MetricsTable {
    static final String MISSING = "-";

    private MetricsTable() {
    }

    public static String render(LinkedHashMap<String, Map<String, Object>> stages, List<String> columns) {
        List<String> header = new ArrayList<>();
        header.add("stage");
        header.addAll(columns);
        List<List<String>> rows = new ArrayList<>();
        boolean[] numeric = new boolean[header.size()];
        Arrays.fill(numeric, 1, numeric.length, true);
        for (Map.Entry<String, Map<String, Object>> stage : stages.entrySet()) {
            List<String> row = new ArrayList<>();
            row.add(stage.getKey());
            Map<String, Object> metrics = stage.getValue() == null ? Map.of() : stage.getValue();
            for (int c = 0; c < columns.size(); c++) {
                Object value = metrics.get(columns.get(c));
                numeric[c + 1] &= value == null || value instanceof Number;
                row.add(format(value));
            }
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, header, width, numeric);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        appendRow(out, rule, width, new boolean[header.size()]);
        for (List<String> row : rows) {
            appendRow(out, row, width, numeric);
        }
        return out.toString();
    }

    static String format(Object value) {
        if (value == null) {
            return MISSING;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "Inf" : "-Inf";
            }
            return String.format(Locale.ROOT, "%.4f", d);
        }
        return value.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] width, boolean[] rightAlign) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            line.append(rightAlign[c] ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
