package org.wsss.metrics;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsTableTest {

    @Test
    void rendersAlignedRowsWithFourDecimalsAndDashesForMissing() {
        LinkedHashMap<String, Map<String, Object>> stages = new LinkedHashMap<>();
        stages.put("eval-cams", Map.of("miou", 0.48123456, "num_images", 1464L));
        Map<String, Object> labels = new HashMap<>();
        labels.put("miou", 0.6);
        labels.put("pixel_accuracy", null);
        stages.put("eval-labels", labels);
        stages.put("evaluate", Map.of("miou", Double.NaN, "pixel_accuracy", 0.91, "note", "tta"));

        String table = MetricsTable.render(stages, List.of("miou", "pixel_accuracy", "num_images"));
        String expected = String.join("\n",
                "stage          miou  pixel_accuracy  num_images",
                "-----------  ------  --------------  ----------",
                "eval-cams    0.4812               -        1464",
                "eval-labels  0.6000               -           -",
                "evaluate        NaN          0.9100           -",
                "");
        assertEquals(expected, table);
    }

    @Test
    void textValuesAreLeftAligned() {
        LinkedHashMap<String, Map<String, Object>> stages = new LinkedHashMap<>();
        stages.put("a", Map.of("model", "resnet38"));
        stages.put("b", Map.of("model", "x"));
        assertEquals(String.join("\n",
                "stage  model",
                "-----  --------",
                "a      resnet38",
                "b      x",
                ""), MetricsTable.render(stages, List.of("model")));
    }
}
