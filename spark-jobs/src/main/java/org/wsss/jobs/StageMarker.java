package org.wsss.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <run-dir>/<stage>/_STAGE.json}: written last, by an atomic rename, once every output of the stage is
 * complete. It records the fingerprint of the config and inputs the outputs were made from, and what the stage
 * wrote: every file with its size ({@link StageFiles}) and the row count of each Parquet table. No marker means
 * the folder is incomplete (a killed run) and nothing may read it; a folder that no longer holds the recorded
 * files is incomplete too.
 */
public record StageMarker(String stage, String fingerprint, Map<String, String> inputs, String config,
                          String started, String finished, double seconds, Map<String, Long> files,
                          Map<String, Long> rows) {

    public static final String FILE = "_STAGE.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage);
        m.put("fingerprint", fingerprint);
        m.put("inputs", inputs);
        m.put("started", started);
        m.put("finished", finished);
        m.put("seconds", seconds);
        m.put("rows", rows);
        m.put("files", files);
        m.put("config", config);
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The marker in {@code json}.
     *
     * @throws IllegalArgumentException (one line) when it is not a marker: not JSON, truncated, or a field missing
     *                                  or of the wrong type; callers treat such a stage as incomplete
     */
    @SuppressWarnings("unchecked")
    public static StageMarker parse(String json) {
        Object parsed;
        try {
            parsed = JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage().lines().findFirst()
                    .orElse(""));
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        StageMarker partial = new StageMarker(field(m, "stage", String.class), field(m, "fingerprint", String.class),
                (Map<String, String>) field(m, "inputs", Map.class), field(m, "config", String.class),
                field(m, "started", String.class), field(m, "finished", String.class),
                field(m, "seconds", Number.class).doubleValue(), Map.of(), Map.of());
        if (!m.containsKey("files")) {
            // A marker from before file lists: it cannot show that the folder still holds what the stage wrote.
            throw new IllegalArgumentException("field 'files' is missing (a marker written before stages recorded "
                    + "their files cannot prove the output complete)");
        }
        return new StageMarker(partial.stage, partial.fingerprint, partial.inputs, partial.config, partial.started,
                partial.finished, partial.seconds, sizes(m, "files"),
                m.containsKey("rows") ? sizes(m, "rows") : Map.of());
    }

    /** A JSON object of non-negative integers (file sizes, row counts), in its order. */
    private static Map<String, Long> sizes(Map<?, ?> m, String name) {
        Map<String, Long> out = new LinkedHashMap<>();
        Map<?, ?> values = field(m, name, Map.class);
        for (Map.Entry<?, ?> e : values.entrySet()) {
            if (!(e.getValue() instanceof Number n) || n instanceof Double || n instanceof Float || n.longValue() < 0) {
                throw new IllegalArgumentException("field '" + name + "' has '" + e.getKey()
                        + "' = " + e.getValue() + ", not a non-negative integer");
            }
            out.put(String.valueOf(e.getKey()), n.longValue());
        }
        return out;
    }

    private static <T> T field(Map<?, ?> m, String name, Class<T> type) {
        Object v = m.get(name);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(v == null ? "field '" + name + "' is missing"
                    : "field '" + name + "' is not a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
        return type.cast(v);
    }
}
