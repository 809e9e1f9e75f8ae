package org.wsss.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss.metrics.ConfusionMatrixTest.bytes;

class MetricsJsonTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    /** gt 0 0 1 1, pred 0 2 1 1 over {bg, cat, dog, cow}: IoU bg 1/2, cat 1, dog 0, cow NaN (absent). */
    private static SegmentationMetrics metricsWithAbsentClass() {
        ConfusionMatrix cm = new ConfusionMatrix(4);
        cm.add(bytes(0, 2, 1, 1), bytes(0, 0, 1, 1));
        return SegmentationMetrics.of(cm, List.of("bg", "cat", "dog", "cow"), 2);
    }

    @Test
    void segmentationJsonIsValidWithNanAsNullAndRequiredKeysFirst() throws Exception {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("background_threshold", 0.15);
        extra.put("stage", "eval-cams");
        extra.put("sweep", List.of(0.1, Double.POSITIVE_INFINITY, 3));
        extra.put("nested", Map.of("b", 2, "a", Double.NaN));
        String json = MetricsJson.render(metricsWithAbsentClass(), extra);

        JsonNode root = PLAIN.readTree(json); // plain Jackson rejects NaN/Infinity tokens
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("miou", "pixel_accuracy", "mean_accuracy", "per_class_iou", "num_images",
                "background_threshold", "stage", "sweep", "nested"), keys);
        assertEquals(0.5, root.get("miou").asDouble(), 1e-12);
        assertEquals(0.75, root.get("pixel_accuracy").asDouble(), 1e-12);
        assertEquals(2, root.get("num_images").asLong());
        JsonNode iou = root.get("per_class_iou");
        List<String> names = new ArrayList<>();
        iou.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("bg", "cat", "dog", "cow"), names);
        assertEquals(1.0, iou.get("cat").asDouble());
        assertTrue(iou.get("cow").isNull());
        assertTrue(root.get("sweep").get(1).isNull());
        assertEquals(3, root.get("sweep").get(2).asInt());
        assertEquals("eval-cams", root.get("stage").asText());
        assertTrue(root.get("nested").get("a").isNull());
        assertTrue(json.contains("\n  \"miou\""), "pretty-printed with two-space indent: " + json);
        assertTrue(json.endsWith("}\n"));
        assertTrue(!json.contains("\r"));
    }

    @Test
    void unorderedMapsAreWrittenInSortedKeyOrder() {
        Map<String, Object> values = new HashMap<>();
        for (String k : List.of("zeta", "alpha", "mid", "beta", "omega")) {
            values.put(k, k.length());
        }
        String json = MetricsJson.render(values);
        int previous = -1;
        for (String k : List.of("alpha", "beta", "mid", "omega", "zeta")) {
            int at = json.indexOf("\"" + k + "\"");
            assertTrue(at > previous, k + " out of order in " + json);
            previous = at;
        }
    }

    @Test
    void parseReadsBackWhatRenderWrote() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("loss", 0.25);
        values.put("epoch", 3);
        values.put("f1", Double.NaN);
        values.put("names", List.of("a", "b"));
        values.put("inner", new LinkedHashMap<>(Map.of("x", 1.5)));
        values.put("ok", true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsJson.write(out, MetricsJson.render(values));
        Map<String, Object> back = MetricsJson.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("loss", "epoch", "f1", "names", "inner", "ok"), List.copyOf(back.keySet()));
        assertEquals(0.25, back.get("loss"));
        assertEquals(3, ((Number) back.get("epoch")).intValue());
        assertTrue(back.containsKey("f1"));
        assertNull(back.get("f1"));
        assertEquals(List.of("a", "b"), back.get("names"));
        assertEquals(Map.of("x", 1.5), back.get("inner"));
        assertEquals(true, back.get("ok"));
    }

    @Test
    void rejectsKeyCollisionsUnsupportedValuesAndBadJson() {
        IllegalArgumentException collision = assertThrows(IllegalArgumentException.class,
                () -> MetricsJson.render(metricsWithAbsentClass(), Map.of("miou", 1.0)));
        assertTrue(collision.getMessage().contains("'miou'"), collision.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> MetricsJson.render(Map.of("outer", Map.of("when", new Object()))));
        assertTrue(type.getMessage().contains("outer.when"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricsJson.parse("{\"a\": "));
        assertThrows(IllegalArgumentException.class, () -> MetricsJson.parse("[1, 2]"));
    }
}
