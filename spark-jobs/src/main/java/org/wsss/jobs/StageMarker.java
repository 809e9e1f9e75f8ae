package org.wsss.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <run-dir>/<stage>/_STAGE.json}: written last, by an atomic rename, once every output of the stage is
 * complete. It records the fingerprint of the config and inputs the outputs were made from. No marker means
 * the folder is incomplete (a killed run) and nothing may read it.
 */
public record StageMarker(String stage, String fingerprint, Map<String, String> inputs, String config,
                          String started, String finished, double seconds) {

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
        m.put("config", config);
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static StageMarker parse(String json) throws IOException {
        Map<String, Object> m = JSON.readValue(json, Map.class);
        return new StageMarker((String) m.get("stage"), (String) m.get("fingerprint"),
                (Map<String, String>) m.get("inputs"), (String) m.get("config"), (String) m.get("started"),
                (String) m.get("finished"), ((Number) m.get("seconds")).doubleValue());
    }
}
