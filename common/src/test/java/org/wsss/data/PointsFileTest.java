package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointsFileTest {

    @TempDir
    Path dir;

    private String file(String text) {
        return TestImages.write(dir.resolve("points.jsonl"), text).toString();
    }

    private String error(String text) {
        String path = file(text);
        return assertThrows(IllegalArgumentException.class, () -> PointsFile.read(new LocalFs(), path)).getMessage();
    }

    @Test
    void readsPointsPerImageSkippingBlankLinesAndAppendingRepeats() throws Exception {
        String path = file("{\"image_id\": \"2007_000032\", \"points\": [{\"x\": 10, \"y\": 20, \"class\": \"cat\"},"
                + " {\"x\": 0, \"y\": 5, \"class\": \"dog\"}]}\n"
                + "\n   \n"
                + "{\"image_id\": \"n01/img 2\", \"points\": []}\n"
                + "{\"points\": [{\"class\": \"person\", \"y\": 7, \"x\": 3}], \"image_id\": \"2007_000032\"}\n");
        Map<String, List<NamedPoint>> points = PointsFile.read(new LocalFs(), path);
        assertEquals(List.of("2007_000032", "n01/img 2"), List.copyOf(points.keySet()));
        assertEquals(List.of(new NamedPoint(10, 20, "cat"), new NamedPoint(0, 5, "dog"),
                new NamedPoint(3, 7, "person")), points.get("2007_000032"));
        assertEquals(List.of(), points.get("n01/img 2"));
    }

    @Test
    void malformedLinesNameTheFileAndLineNumber() {
        String prefix = "dataset.points " + dir.resolve("points.jsonl") + " line 2: ";
        String ok = "{\"image_id\": \"a\", \"points\": []}\n";
        String bad = error(ok + "{\"image_id\": \"b\", \"points\": [\n");
        assertTrue(bad.startsWith(prefix + "not valid JSON"), bad);
        assertTrue(error(ok + "{\"points\": []}").startsWith(prefix + "\"image_id\""));
        assertTrue(error(ok + "{\"image_id\": 7, \"points\": []}").startsWith(prefix + "\"image_id\""));
        assertTrue(error(ok + "{\"image_id\": \"b\"}").startsWith(prefix + "\"points\""));
        assertTrue(error(ok + "{\"image_id\": \"b\", \"points\": {}}").startsWith(prefix + "\"points\""));
        String frac = error(ok + "{\"image_id\": \"b\", \"points\": [{\"x\": 1.5, \"y\": 2, \"class\": \"cat\"}]}");
        assertTrue(frac.startsWith(prefix + "point 1 of image b: \"x\""), frac);
        String noClass = error(ok + "{\"image_id\": \"b\", \"points\": [{\"x\": 1, \"y\": 2}]}");
        assertTrue(noClass.startsWith(prefix + "point 1 of image b: \"class\""), noClass);
        assertTrue(error(ok + "[1, 2]").startsWith(prefix + "expected a JSON object"));
        assertTrue(error(ok + "{\"image_id\": \"b\", \"points\": []} trailing").startsWith(prefix + "not valid JSON"));
    }

    @Test
    void missingFileIsAConfigError() {
        String path = dir.resolve("nope.jsonl").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointsFile.read(new LocalFs(), path));
        assertEquals("dataset.points " + path + ": the file does not exist", e.getMessage());
    }

    @Test
    void aFolderIsNamedAsOne() throws Exception {
        String path = java.nio.file.Files.createDirectory(dir.resolve("points")).toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointsFile.read(new LocalFs(), path));
        assertEquals("dataset.points " + path + ": is a directory; give the JSON-lines file of points", e.getMessage());
    }
}
