package org.wsss.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.reflect.Array;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Renders and parses {@code metrics.json}. Output is pretty-printed with '\n' line ends and a stable key
 * order: insertion order for {@link LinkedHashMap} and {@link SortedMap} values, sorted by key for any
 * other map (whose iteration order means nothing). NaN and infinities become {@code null} so the file is
 * valid JSON.
 */
public final class MetricsJson {
    /** Keys written by {@link #render(SegmentationMetrics, Map)} before the extra entries. */
    public static final List<String> SEGMENTATION_KEYS =
            List.of("miou", "pixel_accuracy", "mean_accuracy", "per_class_iou", "num_images");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MetricsJson() {
    }

    /** Segmentation metrics under {@link #SEGMENTATION_KEYS}, followed by {@code extra} (which must not reuse them). */
    public static String render(SegmentationMetrics m, Map<String, Object> extra) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("miou", m.miou());
        values.put("pixel_accuracy", m.pixelAccuracy());
        values.put("mean_accuracy", m.meanAccuracy());
        values.put("per_class_iou", m.perClassIou());
        values.put("num_images", m.numImages());
        for (Map.Entry<String, Object> e : orderedEntries(extra)) {
            if (values.containsKey(e.getKey())) {
                throw new IllegalArgumentException("extra metrics key '" + e.getKey()
                        + "' collides with a segmentation metric key " + SEGMENTATION_KEYS);
            }
            values.put(e.getKey(), e.getValue());
        }
        return render(values);
    }

    /** Any metrics map: values may be numbers, strings, booleans, null, lists/arrays and nested maps. */
    public static String render(Map<String, Object> values) {
        ObjectNode root = toObject(values, "");
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        try {
            return MAPPER.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise metrics: " + e.getMessage(), e);
        }
    }

    /** Writes {@code json} as UTF-8 and flushes; the stream is left open. */
    public static void write(OutputStream out, String json) throws IOException {
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads a metrics.json document back; its top level must be an object. Nulls stay null. */
    public static Map<String, Object> parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metrics JSON is malformed: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("metrics JSON must be an object at the top level, got "
                    + (node == null ? "nothing" : node.getNodeType()));
        }
        return MAPPER.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private static ObjectNode toObject(Map<?, ?> map, String path) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<?, ?> e : orderedEntries(map)) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("metrics key at '" + path + "' must be a string, got "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
            }
            node.set(key, toNode(e.getValue(), path.isEmpty() ? key : path + "." + key));
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static <K, V> List<Map.Entry<K, V>> orderedEntries(Map<K, V> map) {
        List<Map.Entry<K, V>> entries = new ArrayList<>(map.entrySet());
        if (!(map instanceof LinkedHashMap) && !(map instanceof SortedMap)) {
            entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
        }
        return entries;
    }

    private static JsonNode toNode(Object value, String path) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? NODES.numberNode(d) : NODES.nullNode();
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? NODES.numberNode(f) : NODES.nullNode();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (value instanceof BigDecimal b) {
            return NODES.numberNode(b);
        }
        if (value instanceof String || value instanceof Character || value instanceof Enum<?>) {
            return NODES.textNode(value instanceof Enum<?> en ? en.name() : value.toString());
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Map<?, ?> map) {
            return toObject(map, path);
        }
        if (value instanceof Iterable<?> items) {
            ArrayNode array = NODES.arrayNode();
            int i = 0;
            for (Object item : items) {
                array.add(toNode(item, path + "[" + i++ + "]"));
            }
            return array;
        }
        if (value.getClass().isArray()) {
            ArrayNode array = NODES.arrayNode();
            int length = Array.getLength(value);
            for (int i = 0; i < length; i++) {
                array.add(toNode(Array.get(value, i), path + "[" + i + "]"));
            }
            return array;
        }
        throw new IllegalArgumentException("metrics value at '" + path + "' has unsupported type "
                + value.getClass().getName() + " (use numbers, strings, booleans, lists or maps)");
    }
}
