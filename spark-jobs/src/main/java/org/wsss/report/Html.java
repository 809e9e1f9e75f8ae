package org.wsss.report;

import java.util.Locale;

/** HTML text escaping and the page's number formatting. Every string that reaches the page goes through here. */
final class Html {
    private Html() {
    }

    /** Escapes text for element content and for quoted attribute values alike. */
    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A metric value as shown: integers as they are, other numbers with 4 decimals, null (NaN) as "n/a". */
    static String number(Object value) {
        if (value == null) {
            return "n/a";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof java.math.BigInteger) {
            return value.toString();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "n/a";
        }
        return String.valueOf(value);
    }

    /** An ISO instant to the second (markers record nanoseconds); anything else as it is. */
    static String time(String instant) {
        try {
            return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (RuntimeException e) {
            return String.valueOf(instant);
        }
    }

    /** Shown in a cell where a piece of the run is missing. */
    static final String MISSING = "<span class=\"missing\">\u2014</span>";

    /** The report pages' style sheet (run report and comparison). */
    static final String CSS = """
            body { font-family: sans-serif; margin: 1.5em; color: #222; }
            h2 { border-bottom: 1px solid #ccc; margin-top: 1.5em; }
            table { border-collapse: collapse; margin: 0.4em 0; }
            th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
            th { background: #f2f2f2; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            caption { text-align: left; font-weight: bold; padding-top: 0.4em; }
            .stages { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
            .stage { border: 1px solid #ddd; border-radius: 4px; padding: 0 0.8em 0.6em; }
            .stage h3 { margin: 0.5em 0 0.2em; }
            .status { margin: 0.2em 0; color: #555; font-size: 90%; }
            .not-run { color: #a00; }
            .note { color: #555; }
            .missing { color: #999; font-size: 150%; }
            table.confusion td { text-align: right; min-width: 2.2em; font-size: 85%; }
            table.confusion td.empty { background: #eee; }
            table.confusion th.col span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
            table.confusion th.corner { font-weight: normal; font-size: 85%; }
            table.samples td { text-align: center; }
            table.samples td.id { text-align: left; }
            table.samples img { width: 160px; display: block; margin: auto; }
            img.mask { image-rendering: pixelated; }
            figure { display: inline-block; margin: 2px; }
            figcaption { font-size: 85%; }
            figcaption small { color: #666; }
            .swatch { white-space: nowrap; margin-right: 0.6em; }
            .swatch i { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #888;
                        vertical-align: middle; margin-right: 0.2em; }
            .charts { display: flex; flex-wrap: wrap; gap: 0.6em; margin: 0.4em 0; }
            svg.chart { background: #fff; font-size: 10px; }
            svg.chart text.title { font-size: 12px; font-weight: bold; }
            svg.chart rect.plot { fill: #fafafa; stroke: none; }
            svg.chart .axis line { stroke: #888; }
            svg.chart line.grid { stroke: #e6e6e6; }
            svg.chart text { fill: #444; }
            svg.chart .series polyline { stroke-linejoin: round; }
            table.compare td.diff { color: #555; }
            """;
}
