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
        return perImage(fs, path, "dataset.points", "points", "point", "{\"x\":..,\"y\":..,\"class\":..}",
                (p, where) -> new NamedPoint(coordinate(p, "x", where), coordinate(p, "y", where), className(p, where)));
    }

    /** One annotation of an array element; {@code where} names it for error messages. */
    interface ElementParser<T> {
        T parse(JsonNode element, String where);
    }

    /**
     * A JSON-lines file of {@code {"image_id": "...", KEY: [element, ...]}} objects: the parsed elements per image
     * id, in file order (an image id given on several lines gets all of them). Errors name the setting, the file,
     * the line and the element.
     */
    static <T> Map<String, List<T>> perImage(DatasetFs fs, String path, String setting, String key, String noun,
                                             String shape, ElementParser<T> parser) throws IOException {
        if (!fs.exists(path)) {
            throw new IllegalArgumentException(setting + " " + path + ": the file does not exist");
        }
        if (fs.isDirectory(path)) {
            throw new IllegalArgumentException(setting + " " + path
                    + ": is a directory; give the JSON-lines file of " + key);
        }
        Map<String, List<T>> out = new LinkedHashMap<>();
        List<String> lines = FolderIndex.lines(fs, path);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            try {
                parseLine(line, key, noun, shape, parser, out);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + " " + path + " line " + (n + 1) + ": "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    private static <T> void parseLine(String line, String key, String noun, String shape, ElementParser<T> parser,
                                      Map<String, List<T>> out) {
        JsonNode obj;
        try {
            obj = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (obj == null || !obj.isObject()) {
            throw new IllegalArgumentException("expected a JSON object {\"image_id\": ..., \"" + key + "\": [...]}");
        }
        JsonNode id = obj.get("image_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new IllegalArgumentException("\"image_id\" is missing or not a non-empty string");
        }
        JsonNode elements = obj.get(key);
        if (elements == null || !elements.isArray()) {
            throw new IllegalArgumentException("\"" + key + "\" is missing or not an array (image " + id.asText() + ")");
        }
        List<T> parsed = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            JsonNode e = elements.get(i);
            String where = noun + " " + (i + 1) + " of image " + id.asText();
            if (!e.isObject()) {
                throw new IllegalArgumentException(where + " is not an object " + shape);
            }
            parsed.add(parser.parse(e, where));
        }
        out.computeIfAbsent(id.asText(), k -> new ArrayList<>()).addAll(parsed);
    }

    static String className(JsonNode p, String where) {
        JsonNode cls = p.get("class");
        if (cls == null || !cls.isTextual() || cls.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": \"class\" is missing or not a non-empty string");
        }
        return cls.asText();
    }

    static int coordinate(JsonNode p, String key, String where) {
        JsonNode v = p.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" is missing or not an integer pixel "
                    + "coordinate (got " + v + ")");
        }
        return v.intValue();
    }
}
