package org.wsss.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The point annotation file (dataset.points): JSON lines, one object per image,
 * {@code {"image_id": "...", "points": [{"x": 10, "y": 20, "class": "cat"}]}}. Class names are resolved and
 * coordinates checked against the image when it is loaded; the class "background" is index 0.
 */
public final class PointsFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PointsFile() {
    }

    /** Points per image id, in file order; an image id given on several lines gets all their points. */
    public static Map<String, List<NamedPoint>> read(DatasetFs fs, String path) throws IOException {
        if (!fs.exists(path)) {
            throw new IllegalArgumentException("dataset.points " + path + ": the file does not exist");
        }
        if (fs.isDirectory(path)) {
            throw new IllegalArgumentException("dataset.points " + path
                    + ": is a directory; give the JSON-lines file of points");
        }
        Map<String, List<NamedPoint>> out = new LinkedHashMap<>();
        List<String> lines = FolderIndex.lines(fs, path);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            try {
                parseLine(line, out);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dataset.points " + path + " line " + (n + 1) + ": "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void parseLine(String line, Map<String, List<NamedPoint>> out) {
        JsonNode obj;
        try {
            obj = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (obj == null || !obj.isObject()) {
            throw new IllegalArgumentException("expected a JSON object {\"image_id\": ..., \"points\": [...]}");
        }
        JsonNode id = obj.get("image_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new IllegalArgumentException("\"image_id\" is missing or not a non-empty string");
        }
        JsonNode points = obj.get("points");
        if (points == null || !points.isArray()) {
            throw new IllegalArgumentException("\"points\" is missing or not an array (image " + id.asText() + ")");
        }
        List<NamedPoint> parsed = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            String where = "point " + (i + 1) + " of image " + id.asText();
            if (!p.isObject()) {
                throw new IllegalArgumentException(where + " is not an object {\"x\":..,\"y\":..,\"class\":..}");
            }
            JsonNode cls = p.get("class");
            if (cls == null || !cls.isTextual() || cls.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": \"class\" is missing or not a non-empty string");
            }
            parsed.add(new NamedPoint(coordinate(p, "x", where), coordinate(p, "y", where), cls.asText()));
        }
        out.computeIfAbsent(id.asText(), k -> new ArrayList<>()).addAll(parsed);
    }

    private static int coordinate(JsonNode p, String key, String where) {
        JsonNode v = p.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" is missing or not an integer pixel "
                    + "coordinate (got " + v + ")");
        }
        return v.intValue();
    }
}
