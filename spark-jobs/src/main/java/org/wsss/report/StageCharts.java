package org.wsss.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The charts of one stage's metrics.json, for one run or overlaid for several (one series per run):
 * <ul>
 * <li>a line per numeric per-epoch key of {@code epochs} (train_loss, holdout F1, val mIoU, any key a stage adds),
 * over the row's {@code epoch};</li>
 * <li>a line per sweep, a map keyed by numbers such as eval-cams' {@code miou_by_threshold};</li>
 * <li>bars per {@code per_class_*} map of numbers (per-class IoU of every evaluation).</li>
 * </ul>
 * Keys of any other shape are left to the tables; a key without one finite value draws no chart.
 */
final class StageCharts {
    static final String EPOCHS = "epochs";
    /** Per-epoch bookkeeping, not a learning curve: the x axis itself, timings, counts, the schedule. */
    static final Set<String> BOOKKEEPING = Set.of("epoch", "seconds", "examples", "samples_per_second",
            "last_learning_rate");

    private StageCharts() {
    }

    /** One run's charts: the series are named after the metric and need no legend, as no run needs telling apart. */
    static List<String> single(String stage, Map<String, Object> metrics) {
        Map<String, Map<String, Object>> runs = new LinkedHashMap<>();
        runs.put(stage, metrics);
        return charts(runs, true);
    }

    /**
     * Several runs' charts of one stage, a series per run named in a legend, even a lone one (label -> its metrics;
     * a run without them left out).
     */
    static List<String> overlaid(Map<String, Map<String, Object>> runs) {
        return charts(runs, false);
    }

    /** The charts in a wrapping row, or nothing when there are none. */
    static String block(List<String> charts) {
        return charts.isEmpty() ? "" : "<div class=\"charts\">\n" + String.join("\n", charts) + "\n</div>\n";
    }

    private static List<String> charts(Map<String, Map<String, Object>> runs, boolean nameByKey) {
        List<String> out = new ArrayList<>();
        for (String key : epochKeys(runs.values())) {
            List<SvgChart.Series> series = new ArrayList<>();
            runs.forEach((run, m) -> {
                if (m.get(EPOCHS) instanceof List<?> rows && !rows.isEmpty()) {
                    series.add(epochSeries(nameByKey ? key : run, rows, key));
                }
            });
            add(out, SvgChart.line(key + " per epoch", "epoch", series, !nameByKey));
        }
        for (String key : mapKeys(runs.values(), true)) {
            List<SvgChart.Series> series = new ArrayList<>();
            runs.forEach((run, m) -> {
                if (m.get(key) instanceof Map<?, ?> sweep && isSweep(sweep)) {
                    series.add(sweepSeries(nameByKey ? key : run, sweep));
                }
            });
            int by = key.indexOf("_by_");
            add(out, SvgChart.line(key, by > 0 ? key.substring(by + 4) : "key", series, !nameByKey));
        }
        for (String key : mapKeys(runs.values(), false)) {
            Set<String> categories = new LinkedHashSet<>();
            for (Map<String, Object> m : runs.values()) {
                if (m.get(key) instanceof Map<?, ?> values) {
                    values.keySet().forEach(c -> categories.add(String.valueOf(c)));
                }
            }
            List<String> cats = new ArrayList<>(categories);
            List<SvgChart.Bars> bars = new ArrayList<>();
            runs.forEach((run, m) -> {
                if (m.get(key) instanceof Map<?, ?> values && values.values().stream()
                        .allMatch(StageCharts::isNumberOrNull)) {
                    double[] v = new double[cats.size()];
                    for (int c = 0; c < v.length; c++) {
                        v[c] = number(values.get(cats.get(c)));
                    }
                    bars.add(new SvgChart.Bars(nameByKey ? key : run, v));
                }
            });
            add(out, SvgChart.bars(key, cats, bars, !nameByKey));
        }
        return out;
    }

    private static void add(List<String> out, String chart) {
        if (chart != null) {
            out.add(chart);
        }
    }

    /** Keys with a number in some epoch row of some run, first-seen order, bookkeeping left out. */
    static List<String> epochKeys(Iterable<Map<String, Object>> runs) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> m : runs) {
            if (m.get(EPOCHS) instanceof List<?> rows) {
                for (Object r : rows) {
                    if (r instanceof Map<?, ?> row) {
                        row.forEach((k, v) -> {
                            if (v instanceof Number && !BOOKKEEPING.contains(String.valueOf(k))) {
                                keys.add(String.valueOf(k));
                            }
                        });
                    }
                }
            }
        }
        return new ArrayList<>(keys);
    }

    private static SvgChart.Series epochSeries(String name, List<?> rows, String key) {
        double[] x = new double[rows.size()], y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<?, ?> row = rows.get(i) instanceof Map<?, ?> m ? m : Map.of();
            // Rows record their epoch; were one not to, its place in the list is its epoch.
            x[i] = row.get("epoch") instanceof Number e ? e.doubleValue() : i;
            y[i] = number(row.get(key));
        }
        return new SvgChart.Series(name, x, y);
    }

    /** Top-level maps drawn as sweeps (keys all numbers) or, with {@code sweeps} false, as per-class bars. */
    private static List<String> mapKeys(Iterable<Map<String, Object>> runs, boolean sweeps) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> m : runs) {
            m.forEach((k, v) -> {
                boolean perClass = k.startsWith("per_class");
                if (v instanceof Map<?, ?> map && !map.isEmpty()
                        && map.values().stream().allMatch(StageCharts::isNumberOrNull)
                        && (sweeps ? !perClass && isSweep(map) : perClass)) {
                    keys.add(k);
                }
            });
        }
        return new ArrayList<>(keys);
    }

    private static boolean isSweep(Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (!Double.isFinite(parse(String.valueOf(k)))) {
                return false;
            }
        }
        return map.values().stream().allMatch(StageCharts::isNumberOrNull);
    }

    private static SvgChart.Series sweepSeries(String name, Map<?, ?> sweep) {
        List<double[]> pairs = new ArrayList<>();
        sweep.forEach((k, v) -> pairs.add(new double[]{parse(String.valueOf(k)), number(v)}));
        pairs.sort((a, b) -> Double.compare(a[0], b[0]));
        return new SvgChart.Series(name, pairs.stream().mapToDouble(p -> p[0]).toArray(),
                pairs.stream().mapToDouble(p -> p[1]).toArray());
    }

    private static boolean isNumberOrNull(Object v) {
        return v == null || v instanceof Number;
    }

    /** metrics.json writes NaN as null: both are a missing value. */
    static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
