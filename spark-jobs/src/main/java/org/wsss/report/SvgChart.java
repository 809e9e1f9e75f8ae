package org.wsss.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the report page, so it renders without a network and without a script: a line chart of
 * several series and a grouped bar chart. Each chart is {@code <svg class="chart" data-kind data-series>}; each
 * series a {@code <g class="series" data-points>} whose points are {@code .point} elements (a circle per line
 * point, a rect per bar) carrying their data values, which is what the report test counts in a browser.
 * A NaN value is a gap: no point, and the line breaks there.
 */
final class SvgChart {
    static final int WIDTH = 360;
    static final int PLOT_HEIGHT = 150;
    static final int LEFT = 52;
    static final int RIGHT = 14;
    static final int TOP = 24;
    static final int BOTTOM = 36;
    private static final int LEGEND_ROW = 15;
    private static final int MIN_BAR_GROUP = 14;
    /** Tableau 10: distinct on white, the same order on every chart so a run keeps its colour. */
    static final List<String> COLOURS = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");

    private SvgChart() {
    }

    /** One line: y over x, both the same length; NaN in either is a missing value. */
    record Series(String name, double[] x, double[] y) {
        Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
        }

        int points() {
            int n = 0;
            for (int i = 0; i < x.length; i++) {
                n += Double.isFinite(x[i]) && Double.isFinite(y[i]) ? 1 : 0;
            }
            return n;
        }
    }

    /** One bar per category; NaN is a category this series has no value for. */
    record Bars(String name, double[] values) {
        int points() {
            int n = 0;
            for (double v : values) {
                n += Double.isFinite(v) ? 1 : 0;
            }
            return n;
        }
    }

    /** Maps a data interval onto a pixel interval; on screen y grows downwards, so a y scale's pixels run high to low. */
    record Scale(double min, double max, double from, double to) {
        double px(double v) {
            return from + (v - min) / (max - min) * (to - from);
        }
    }

    /** Data range of the finite values with room added where it is a single value (a flat line, one epoch). */
    static double[] range(double[]... values) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] vs : values) {
            for (double v : vs) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[]{0, 1};
        }
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[]{lo - pad, hi + pad};
        }
        return new double[]{lo, hi};
    }

    /** Round tick values (1, 2 or 5 times a power of ten apart) inside [min, max], about {@code target} of them. */
    static List<Double> ticks(double min, double max, int target) {
        double raw = (max - min) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double ratio = raw / mag;
        // Nearest of 1, 2, 5, 10 on a log scale (the cut points are their geometric means), as d3 picks ticks.
        double step = ratio >= Math.sqrt(50) ? 10 * mag : ratio >= Math.sqrt(10) ? 5 * mag
                : ratio >= Math.sqrt(2) ? 2 * mag : mag;
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return out;
    }

    /** A line chart; null when no series has a single finite point (the caller shows no chart then). */
    static String line(String title, String xLabel, List<Series> series) {
        return line(title, xLabel, series, series.size() > 1);
    }

    /** @param legend whether to name the series under the plot (a comparison names even a lone run's) */
    static String line(String title, String xLabel, List<Series> series, boolean legend) {
        int points = series.stream().mapToInt(Series::points).sum();
        if (points == 0) {
            return null;
        }
        List<double[]> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (Series s : series) {
            xs.add(finitePairs(s, true));
            ys.add(finitePairs(s, false));
        }
        double[] xr = range(xs.toArray(double[][]::new));
        double[] yr = range(ys.toArray(double[][]::new));
        Scale sx = new Scale(xr[0], xr[1], LEFT, WIDTH - RIGHT);
        Scale sy = new Scale(yr[0], yr[1], TOP + PLOT_HEIGHT, TOP);
        StringBuilder h = open("line", title, series.size(), points, WIDTH, height(BOTTOM, legend ? series.size() : 0));
        axes(h, sx, sy, xLabel);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS.get(k % COLOURS.size());
            h.append("<g class=\"series\" data-name=\"").append(Html.esc(s.name())).append("\" data-points=\"")
                    .append(s.points()).append("\" stroke=\"").append(colour).append("\" fill=\"").append(colour)
                    .append("\">");
            List<String> segment = new ArrayList<>();
            for (int i = 0; i <= s.x().length; i++) {
                boolean ok = i < s.x().length && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
                if (ok) {
                    segment.add(num(sx.px(s.x()[i])) + "," + num(sy.px(s.y()[i])));
                } else {
                    if (segment.size() > 1) {
                        h.append("<polyline fill=\"none\" stroke-width=\"1.6\" points=\"")
                                .append(String.join(" ", segment)).append("\"/>");
                    }
                    segment.clear();
                }
            }
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    h.append("<circle class=\"point\" r=\"2.6\" cx=\"").append(num(sx.px(s.x()[i])))
                            .append("\" cy=\"").append(num(sy.px(s.y()[i]))).append("\" data-x=\"")
                            .append(value(s.x()[i])).append("\" data-y=\"").append(value(s.y()[i]))
                            .append("\"><title>").append(Html.esc(s.name())).append(": ").append(xLabel == null ? ""
                                    : Html.esc(xLabel) + " ").append(value(s.x()[i])).append(" \u2192 ")
                            .append(value(s.y()[i])).append("</title></circle>");
                }
            }
            h.append("</g>\n");
        }
        if (legend) {
            legend(h, series.stream().map(Series::name).toList(), BOTTOM);
        }
        return h.append("</svg>").toString();
    }

    /** A grouped bar chart from a zero baseline, one group per category; null when there is no finite value. */
    static String bars(String title, List<String> categories, List<Bars> series) {
        return bars(title, categories, series, series.size() > 1);
    }

    static String bars(String title, List<String> categories, List<Bars> series, boolean legend) {
        int points = series.stream().mapToInt(Bars::points).sum();
        if (points == 0 || categories.isEmpty()) {
            return null;
        }
        for (Bars b : series) {
            if (b.values().length != categories.size()) {
                throw new IllegalArgumentException("bars '" + b.name() + "': " + b.values().length + " values for "
                        + categories.size() + " categories");
            }
        }
        double[][] all = series.stream().map(Bars::values).toArray(double[][]::new);
        double[] yr = range(all);
        yr = new double[]{Math.min(0, yr[0]), Math.max(0, yr[1])};
        if (yr[0] == yr[1]) {
            yr[1] = 1;
        }
        int group = Math.max(MIN_BAR_GROUP, 6 * series.size() + 4);
        int width = Math.max(WIDTH, LEFT + RIGHT + group * categories.size());
        double plotWidth = width - LEFT - RIGHT;
        double groupWidth = plotWidth / categories.size();
        double barWidth = (groupWidth - 2) / series.size();
        Scale sy = new Scale(yr[0], yr[1], TOP + PLOT_HEIGHT, TOP);
        int bottom = bottomOfBars(categories);
        StringBuilder h = open("bar", title, series.size(), points, width, height(bottom, legend ? series.size() : 0));
        yAxis(h, sy, width);
        for (int c = 0; c < categories.size(); c++) {
            double cx = LEFT + groupWidth * (c + 0.5);
            h.append("<text class=\"cat\" text-anchor=\"end\" transform=\"translate(").append(num(cx)).append(',')
                    .append(TOP + PLOT_HEIGHT + 8).append(") rotate(-45)\">").append(Html.esc(categories.get(c)))
                    .append("</text>");
        }
        h.append('\n');
        for (int k = 0; k < series.size(); k++) {
            Bars b = series.get(k);
            String colour = COLOURS.get(k % COLOURS.size());
            h.append("<g class=\"series\" data-name=\"").append(Html.esc(b.name())).append("\" data-points=\"")
                    .append(b.points()).append("\" fill=\"").append(colour).append("\">");
            for (int c = 0; c < categories.size(); c++) {
                double v = b.values()[c];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = LEFT + groupWidth * c + 1 + barWidth * k;
                double y0 = sy.px(0), y1 = sy.px(v);
                h.append("<rect class=\"point\" x=\"").append(num(x)).append("\" y=\"").append(num(Math.min(y0, y1)))
                        .append("\" width=\"").append(num(barWidth)).append("\" height=\"")
                        .append(num(Math.abs(y1 - y0))).append("\" data-category=\"").append(Html.esc(categories.get(c)))
                        .append("\" data-y=\"").append(value(v)).append("\"><title>").append(Html.esc(b.name()))
                        .append(": ").append(Html.esc(categories.get(c))).append(" ").append(value(v))
                        .append("</title></rect>");
            }
            h.append("</g>\n");
        }
        if (legend) {
            legend(h, series.stream().map(Bars::name).toList(), bottom);
        }
        return h.append("</svg>").toString();
    }

    private static int bottomOfBars(List<String> categories) {
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        // Labels at -45 degrees take about 0.7 of their length in height, ~6 px a character at this font size.
        return (int) Math.ceil(Math.min(longest, 24) * 6 * 0.72) + 14;
    }

    private static double[] finitePairs(Series s, boolean wantX) {
        double[] out = new double[s.x().length];
        for (int i = 0; i < out.length; i++) {
            boolean ok = Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]);
            out[i] = ok ? (wantX ? s.x()[i] : s.y()[i]) : Double.NaN;
        }
        return out;
    }

    /** Plot, the space under it for tick labels ({@code bottom}) and a legend row per named series. */
    private static int height(int bottom, int legendRows) {
        return TOP + PLOT_HEIGHT + bottom + LEGEND_ROW * legendRows + (legendRows > 0 ? 6 : 0);
    }

    private static StringBuilder open(String kind, String title, int series, int points, int width, int height) {
        return new StringBuilder().append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" data-kind=\"")
                .append(kind).append("\" data-series=\"").append(series).append("\" data-points=\"").append(points)
                .append("\" data-title=\"").append(Html.esc(title)).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(Html.esc(title)).append("\">\n<title>")
                .append(Html.esc(title)).append("</title><text class=\"title\" x=\"").append(LEFT)
                .append("\" y=\"15\">").append(Html.esc(title)).append("</text>\n");
    }

    private static void axes(StringBuilder h, Scale sx, Scale sy, String xLabel) {
        yAxis(h, sy, WIDTH);
        int base = TOP + PLOT_HEIGHT;
        h.append("<g class=\"axis x\">");
        boolean integral = Math.floor(sx.min()) != Math.floor(sx.max()) && sx.max() - sx.min() >= 2;
        for (double t : ticks(sx.min(), sx.max(), 6)) {
            if (integral && t != Math.rint(t)) {
                continue;
            }
            String px = num(sx.px(t));
            h.append("<line x1=\"").append(px).append("\" x2=\"").append(px).append("\" y1=\"").append(base)
                    .append("\" y2=\"").append(base + 4).append("\"/><text x=\"").append(px).append("\" y=\"")
                    .append(base + 15).append("\" text-anchor=\"middle\">").append(tick(t)).append("</text>");
        }
        if (xLabel != null) {
            h.append("<text class=\"label\" x=\"").append(num((sx.from() + sx.to()) / 2)).append("\" y=\"")
                    .append(base + 30).append("\" text-anchor=\"middle\">").append(Html.esc(xLabel)).append("</text>");
        }
        h.append("</g>\n");
    }

    private static void yAxis(StringBuilder h, Scale sy, int width) {
        int base = TOP + PLOT_HEIGHT;
        h.append("<rect class=\"plot\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(width - LEFT - RIGHT).append("\" height=\"").append(PLOT_HEIGHT).append("\"/>");
        h.append("<g class=\"axis y\">");
        for (double t : ticks(sy.min(), sy.max(), 5)) {
            String py = num(sy.px(t));
            h.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT)
                    .append("\" y1=\"").append(py).append("\" y2=\"").append(py).append("\"/><text x=\"")
                    .append(LEFT - 4).append("\" y=\"").append(py).append("\" dy=\"0.32em\" text-anchor=\"end\">")
                    .append(tick(t)).append("</text>");
        }
        h.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"").append(base)
                .append("\" y2=\"").append(base).append("\"/></g>\n");
    }

    /** The legend under the plot and its tick labels. */
    private static void legend(StringBuilder h, List<String> names, int bottom) {
        int y0 = TOP + PLOT_HEIGHT + bottom;
        for (int k = 0; k < names.size(); k++) {
            int y = y0 + LEGEND_ROW * k + 10;
            h.append("<g class=\"legend\"><rect x=\"").append(LEFT).append("\" y=\"").append(y - 8)
                    .append("\" width=\"10\" height=\"10\" fill=\"").append(COLOURS.get(k % COLOURS.size()))
                    .append("\"/><text x=\"").append(LEFT + 14).append("\" y=\"").append(y).append("\">")
                    .append(Html.esc(names.get(k))).append("</text></g>");
        }
    }

    private static String num(double px) {
        return String.format(Locale.ROOT, "%.2f", px);
    }

    /** A data value as written into the page: six significant digits, no trailing zeros. */
    static String value(double v) {
        return new BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
    }

    private static String tick(double t) {
        return Math.abs(t) >= 1e4 || (t != 0 && Math.abs(t) < 1e-3) ? String.format(Locale.ROOT, "%.1e", t)
                : String.format(Locale.ROOT, "%.6g", t).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
}
