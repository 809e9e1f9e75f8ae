package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boxes: the VOC XML's bndbox, the dataset.boxes file, the filled labels and the downscale, by hand. */
class BoxesTest {

    @TempDir
    Path dir;

    @Test
    void vocBndboxesBecomeHalfOpenZeroBasedBounds() throws Exception {
        String xml = "<annotation><object><name>cat</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>10</xmax>"
                + "<ymax>20.4</ymax></bndbox></object><object><name>dog</name></object>"
                + "<object><name> dog </name><bndbox><xmin>5.6</xmin><ymin>3</ymin><xmax>6</xmax><ymax>3</ymax>"
                + "</bndbox><part><name>head</name></part></object></annotation>";
        List<NamedBox> boxes = VocXml.boxes(xml.getBytes(StandardCharsets.UTF_8), "a.xml");
        // the object without a box has none; 20.4 rounds to 20, 5.6 to 6: a one-pixel box at column 5
        assertEquals(List.of(new NamedBox(0, 1, 10, 20, "cat"), new NamedBox(5, 2, 6, 3, "dog")), boxes);
    }

    @Test
    void badBndboxesQuarantineNamingTheFileAndObject() {
        QuarantineException e = assertThrows(QuarantineException.class, () -> VocXml.boxes(
                ("<annotation><object><name>cat</name><bndbox><xmin>4</xmin><ymin>2</ymin><xmax>3</xmax>"
                        + "<ymax>9</ymax></bndbox></object></annotation>").getBytes(StandardCharsets.UTF_8), "b.xml"));
        assertEquals("<bndbox> of <object> number 1 in b.xml is empty or starts before pixel 1: xmin 4, ymin 2, "
                + "xmax 3, ymax 9", e.reason());
        e = assertThrows(QuarantineException.class, () -> VocXml.boxes(
                ("<annotation><object><name>cat</name><bndbox><xmin>x</xmin><ymin>2</ymin><xmax>3</xmax>"
                        + "<ymax>9</ymax></bndbox></object></annotation>").getBytes(StandardCharsets.UTF_8), "c.xml"));
        assertEquals("<bndbox> of <object> number 1 in c.xml: <xmin> is not a pixel coordinate: 'x'", e.reason());
    }

    @Test
    void theBoxesFileGivesEachImageItsBoxesAndNamesBadLines() throws Exception {
        Path f = dir.resolve("boxes.jsonl");
        Files.writeString(f, "{\"image_id\": \"a\", \"boxes\": [{\"x0\": 1, \"y0\": 2, \"x1\": 5, \"y1\": 6, "
                + "\"class\": \"cat\"}]}\n\n{\"image_id\": \"a\", \"boxes\": [{\"x0\": 0, \"y0\": 0, \"x1\": 2, "
                + "\"y1\": 2, \"class\": \"dog\"}]}\n");
        Map<String, List<NamedBox>> boxes = BoxesFile.read(new LocalFs(), f.toString());
        assertEquals(Map.of("a", List.of(new NamedBox(1, 2, 5, 6, "cat"), new NamedBox(0, 0, 2, 2, "dog"))), boxes);
        Files.writeString(f, "{\"image_id\": \"a\", \"boxes\": [{\"x0\": 1, \"y0\": 2, \"x1\": 5.5, \"y1\": 6, "
                + "\"class\": \"cat\"}]}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BoxesFile.read(new LocalFs(), f.toString()));
        assertEquals("dataset.boxes " + f + " line 1: box 1 of image a: \"x1\" is missing or not an integer pixel "
                + "coordinate (got 5.5)", e.getMessage());
    }

    @Test
    void filledLabelsPutTheSmallestBoxOnTopAndBackgroundOutside() {
        // a 6x4 image: a large class-1 box over columns 0-3, a small class-2 box at columns 2-4 of row 1-2 on top
        LabelMask m = BoxLabels.filled(6, 4, List.of(new Box(2, 1, 5, 3, 2), new Box(0, 0, 4, 4, 1)));
        assertArrayEquals(new byte[]{
                1, 1, 1, 1, 0, 0,
                1, 1, 2, 2, 2, 0,
                1, 1, 2, 2, 2, 0,
                1, 1, 1, 1, 0, 0}, m.labels());
    }

    @Test
    void downscaledBoxesStillCoverTheirObject() {
        // 100x50 -> 10x5: (15..37) x (7..23) covers pixels 1.5..3.7 x 0.7..2.3: rounded outwards to 1..4 x 0..3
        assertEquals(List.of(new Box(1, 0, 4, 3, 7)),
                IngestDownscale.boxes(List.of(new Box(15, 7, 37, 23, 7)), 100, 50, 10, 5));
    }
}
