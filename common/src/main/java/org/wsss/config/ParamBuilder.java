package org.wsss.config;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Short constructors for {@link Param} declarations. */
final class ParamBuilder {
    private ParamBuilder() {
    }

    static Param<String> string(String key, String doc, String def) {
        return new Param<>(key, doc, Param.Type.STRING, def, v -> true, "any string");
    }

    static Param<String> oneOf(String key, String doc, String def, String... allowed) {
        Set<String> set = Set.of(allowed);
        return new Param<>(key, doc, Param.Type.STRING, def, set::contains, "one of " + List.of(allowed));
    }

    static Param<Integer> intRange(String key, String doc, int def, int min, int max) {
        return new Param<>(key, doc, Param.Type.INT, def, v -> v >= min && v <= max,
                max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]");
    }

    static Param<Integer> oddRange(String key, String doc, int def, int min, int max) {
        return new Param<>(key, doc, Param.Type.INT, def, v -> v >= min && v <= max && v % 2 != 0,
                "odd, in [" + min + ", " + max + "]");
    }

    static Param<String> matching(String key, String doc, String def, String regex, String validDoc) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        return new Param<>(key, doc, Param.Type.STRING, def, v -> p.matcher(v).matches(), validDoc);
    }

    static Param<Integer> intOneOf(String key, String doc, int def, int... allowed) {
        java.util.Set<Integer> set = new java.util.HashSet<>();
        for (int a : allowed) {
            set.add(a);
        }
        return new Param<>(key, doc, Param.Type.INT, def, set::contains,
                "one of " + java.util.Arrays.toString(allowed));
    }

    static Param<Long> longAny(String key, String doc, long def) {
        return new Param<>(key, doc, Param.Type.LONG, def, v -> true, "any integer");
    }

    static Param<Double> doubleRange(String key, String doc, double def, double min, double max) {
        return new Param<>(key, doc, Param.Type.DOUBLE, def, v -> v >= min && v <= max && !v.isNaN(),
                "in [" + min + ", " + max + "]");
    }

    static Param<Double> positive(String key, String doc, double def) {
        return new Param<>(key, doc, Param.Type.DOUBLE, def, v -> v > 0 && !v.isInfinite(), "> 0");
    }

    static Param<Boolean> bool(String key, String doc, boolean def) {
        return new Param<>(key, doc, Param.Type.BOOLEAN, def, v -> true, "true or false");
    }

    static Param<List<String>> strings(String key, String doc, List<String> def) {
        return new Param<>(key, doc, Param.Type.STRING_LIST, def, v -> true, "a list of strings");
    }

    static Param<List<String>> stringsOf(String key, String doc, List<String> def, String... allowed) {
        Set<String> set = Set.of(allowed);
        return new Param<>(key, doc, Param.Type.STRING_LIST, def,
                v -> !v.isEmpty() && set.containsAll(v) && Set.copyOf(v).size() == v.size(),
                "a non-empty list of " + List.of(allowed) + ", each at most once");
    }

    static Param<List<Double>> doubles(String key, String doc, List<Double> def, Predicate<List<Double>> valid,
                                       String validDoc) {
        return new Param<>(key, doc, Param.Type.DOUBLE_LIST, def, valid, validDoc);
    }

    static Param<List<Integer>> ints(String key, String doc, List<Integer> def, Predicate<List<Integer>> valid,
                                     String validDoc) {
        return new Param<>(key, doc, Param.Type.INT_LIST, def, valid, validDoc);
    }
}
