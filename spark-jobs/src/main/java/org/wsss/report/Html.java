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
}
