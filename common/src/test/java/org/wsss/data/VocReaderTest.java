package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocReaderTest {

    private static final ClassList VOC = new ClassList(ClassList.VOC);
    // VOC indices used below: cat 8, dog 12, person 15
    private static final int CAT = 8;
    private static final int DOG = 12;
    private static final int PERSON = 15;

    @TempDir
    Path root;

    private static String xml(String... names) {
        StringBuilder sb = new StringBuilder("<annotation><filename>x.jpg</filename>");
        for (String n : names) {
            sb.append("<object><name>").append(n).append("</name><difficult>0</difficult>")
                    .append("<bndbox><xmin>1</xmin></bndbox></object>");
        }
        return sb.append("</annotation>").toString();
    }

    private void image(String id, int w, int h) {
        TestImages.write(root.resolve("JPEGImages/" + id + ".jpg"), TestImages.jpeg(w, h));
    }

    private void split(String split, String text) {
        TestImages.write(root.resolve("ImageSets/Segmentation/" + split + ".txt"), text);
    }

    private Sample load(VocReader r, String id) throws Exception {
        LocalFs fs = new LocalFs();
        SampleRef ref = r.list(fs, List.of("train")).stream().filter(s -> s.imageId().equals(id)).findFirst()
                .orElseThrow();
        return r.load(ref, fs);
    }

    private String quarantineReason(String id) {
        VocReader r = new VocReader(root.toString(), VOC);
        return assertThrows(QuarantineException.class, () -> load(r, id)).reason();
    }

    @Test
    void listsSplitsInFileOrderWithMaskAndXmlOnlyWhenPresent() throws Exception {
        split("train", "b\n\n  a  \nc\n");
        split("val", "d\n");
        TestImages.write(root.resolve("SegmentationClass/a.png"), TestImages.palettePng(new int[][] {{0}}));
        TestImages.write(root.resolve("Annotations/b.xml"), xml("cat"));
        CountingFs fs = new CountingFs();
        VocReader r = new VocReader(root.toString(), VOC);
        List<SampleRef> refs = r.list(fs, List.of("train", "val"));
        assertEquals(List.of("b", "a", "c", "d"), refs.stream().map(SampleRef::imageId).toList());
        assertEquals(List.of("train", "train", "train", "val"), refs.stream().map(SampleRef::split).toList());
        Map<String, SampleRef> byId = refs.stream().collect(Collectors.toMap(SampleRef::imageId, Function.identity()));
        assertEquals(root + "/JPEGImages/a.jpg", byId.get("a").imagePath());
        assertEquals(root + "/SegmentationClass/a.png", byId.get("a").maskPath());
        assertNull(byId.get("a").annotationPath());
        assertNull(byId.get("b").maskPath());
        assertEquals(root + "/Annotations/b.xml", byId.get("b").annotationPath());
        assertNull(byId.get("c").maskPath());
        assertNull(byId.get("c").annotationPath());
        assertTrue(fs.existsCalls.isEmpty(), "list() must use folder listings, not exists(): " + fs.existsCalls);
        assertTrue(fs.listCalls.size() <= 4, "one listing per folder: " + fs.listCalls);
    }

    @Test
    void missingSplitListIsALayoutErrorNamingThePath() {
        split("train", "a\n");
        VocReader r = new VocReader(root.toString(), VOC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.list(new LocalFs(), List.of("train", "val")));
        assertTrue(e.getMessage().contains(root + "/ImageSets/Segmentation/val.txt"), e.getMessage());
    }

    @Test
    void labelsComeFromAllXmlObjectsNotFromTheMask() throws Exception {
        split("train", "x\n");
        image("x", 20, 16);
        // mask only shows a cat; the XML names cat, dog and a person whose <part> names are not objects
        TestImages.write(root.resolve("SegmentationClass/x.png"),
                TestImages.palettePng(TestImages.quarterMask(20, 16, CAT)));
        TestImages.write(root.resolve("Annotations/x.xml"), "<annotation><object><name>person</name>"
                + "<part><name>hand</name></part></object><object><name> dog </name></object>"
                + "<object><name>cat</name></object><object><name>dog</name></object></annotation>");
        Sample s = load(new VocReader(root.toString(), VOC), "x");
        assertArrayEquals(new int[] {CAT, DOG, PERSON}, s.labels());
    }

    @Test
    void withoutXmlLabelsAreTheMaskValuesOtherThanBackgroundAndIgnore() throws Exception {
        split("train", "x\n");
        image("x", 20, 16);
        int[][] mask = TestImages.quarterMask(20, 16, DOG);
        mask[15][19] = 255;
        mask[15][0] = CAT;
        byte[] maskBytes = TestImages.palettePng(mask);
        TestImages.write(root.resolve("SegmentationClass/x.png"), maskBytes);
        Sample s = load(new VocReader(root.toString(), VOC), "x");
        assertArrayEquals(new int[] {CAT, DOG}, s.labels());
        assertArrayEquals(maskBytes, s.maskPng(), "a palette mask is kept as its file bytes");
        assertArrayEquals(Files.readAllBytes(root.resolve("JPEGImages/x.jpg")), s.imageBytes());
        assertEquals("jpeg", s.imageFormat());
        assertEquals(20, s.width());
        assertEquals(16, s.height());
        assertEquals(root + "/JPEGImages/x.jpg", s.source());
        assertEquals("train", s.split());
        assertEquals("x", s.imageId());
        assertTrue(s.points().isEmpty());
    }

    @Test
    void noXmlAndNoMaskMeansNoLabels() throws Exception {
        split("train", "x\n");
        image("x", 8, 8);
        Sample s = load(new VocReader(root.toString(), VOC), "x");
        assertEquals(0, s.labels().length);
        assertNull(s.maskPng());
    }

    @Test
    void rgbMaskIsReencodedAsAPaletteMask() throws Exception {
        split("train", "x\n");
        image("x", 4, 2);
        int[][] colours = {{0x000000, 0x800000, 0xe0e0c0, 0x000000}, {0x408000, 0x000000, 0x000000, 0x000000}};
        byte[] rgbPng = TestImages.rgbPng(colours);
        TestImages.write(root.resolve("SegmentationClass/x.png"), rgbPng);
        Sample s = load(new VocReader(root.toString(), VOC), "x");
        assertFalse(Arrays.equals(rgbPng, s.maskPng()));
        assertEquals(3, s.maskPng()[25], "palette PNG");
        LabelMask m = ImageCodec.decodeMask(s.maskPng(), "re-encoded");
        assertEquals(1, m.get(1, 0));
        assertEquals(255, m.get(2, 0));
        assertEquals(10, m.get(0, 1)); // (64,128,0) is VOC index 10 (cow)
        assertArrayEquals(new int[] {1, 10}, s.labels());
    }

    @Test
    void customClassListResolvesNamesAndBoundsMaskValues() throws Exception {
        ClassList fruit = new ClassList(List.of("apple", "pear"));
        split("train", "x\ny\nz\n");
        image("x", 8, 8);
        image("y", 8, 8);
        image("z", 8, 8);
        TestImages.write(root.resolve("Annotations/x.xml"), xml("pear"));
        TestImages.write(root.resolve("SegmentationClass/y.png"), TestImages.greyPng(TestImages.quarterMask(8, 8, 1)));
        TestImages.write(root.resolve("SegmentationClass/z.png"), TestImages.greyPng(TestImages.quarterMask(8, 8, 3)));
        VocReader r = new VocReader(root.toString(), fruit);
        assertArrayEquals(new int[] {2}, load(r, "x").labels());
        assertArrayEquals(new int[] {1}, load(r, "y").labels());
        String reason = assertThrows(QuarantineException.class, () -> load(r, "z")).reason();
        assertTrue(reason.startsWith("mask value 3 at pixel (0,0)"), reason);
        assertTrue(reason.contains("SegmentationClass/z.png"), reason);
    }

    @Test
    void pointsAreResolvedToClassIndices() throws Exception {
        split("train", "x\n");
        image("x", 20, 10);
        LocalFs fs = new LocalFs();
        VocReader r = new VocReader(root.toString(), VOC);
        SampleRef ref = r.list(fs, List.of("train")).get(0)
                .withPoints(List.of(new NamedPoint(0, 0, "cat"), new NamedPoint(19, 9, "person")));
        Sample s = r.load(ref, fs);
        assertEquals(List.of(new Point(0, 0, CAT), new Point(19, 9, PERSON)), s.points());
    }

    @Test
    void backgroundPointsAreClassZero() throws Exception {
        split("train", "x\n");
        image("x", 20, 10);
        LocalFs fs = new LocalFs();
        VocReader r = new VocReader(root.toString(), VOC);
        SampleRef ref = r.list(fs, List.of("train")).get(0)
                .withPoints(List.of(new NamedPoint(3, 4, "background"), new NamedPoint(19, 9, "dog")));
        assertEquals(List.of(new Point(3, 4, 0), new Point(19, 9, DOG)), r.load(ref, fs).points());
    }

    @Test
    void pointOutsideTheImageOrWithAnUnknownClassIsQuarantined() throws Exception {
        split("train", "x\n");
        image("x", 20, 10);
        LocalFs fs = new LocalFs();
        VocReader r = new VocReader(root.toString(), VOC);
        SampleRef ref = r.list(fs, List.of("train")).get(0);
        String outside = assertThrows(QuarantineException.class,
                () -> r.load(ref.withPoints(List.of(new NamedPoint(20, 3, "cat"))), fs)).reason();
        assertTrue(outside.contains("(20,3)") && outside.contains("outside the 20x10 image"), outside);
        String negative = assertThrows(QuarantineException.class,
                () -> r.load(ref.withPoints(List.of(new NamedPoint(-1, 3, "cat"))), fs)).reason();
        assertTrue(negative.contains("outside"), negative);
        String unknown = assertThrows(QuarantineException.class,
                () -> r.load(ref.withPoints(List.of(new NamedPoint(1, 1, "zebra"))), fs)).reason();
        assertTrue(unknown.contains("'zebra'") && unknown.contains("neither 'background' nor in dataset.classes"),
                unknown);
    }

    @Test
    void missingImageIsQuarantined() {
        split("train", "gone\n");
        assertEquals("listed image is missing: " + root + "/JPEGImages/gone.jpg", quarantineReason("gone"));
    }

    @Test
    void truncatedJpegIsQuarantined() {
        split("train", "cut\n");
        byte[] jpeg = TestImages.noisyJpeg(96, 64, 5);
        TestImages.write(root.resolve("JPEGImages/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        assertEquals("truncated JPEG (no end-of-image marker): " + root + "/JPEGImages/cut.jpg",
                quarantineReason("cut"));
    }

    @Test
    void undecodableImageIsQuarantined() {
        split("train", "junk\n");
        TestImages.write(root.resolve("JPEGImages/junk.jpg"), "<html>not found</html>");
        assertEquals("not a JPEG or PNG image: " + root + "/JPEGImages/junk.jpg", quarantineReason("junk"));
    }

    @Test
    void maskOfADifferentSizeIsQuarantined() {
        split("train", "x\n");
        image("x", 20, 14);
        TestImages.write(root.resolve("SegmentationClass/x.png"), TestImages.palettePng(new int[15][20]));
        assertEquals("mask 20x15 vs image 20x14: " + root + "/SegmentationClass/x.png", quarantineReason("x"));
    }

    @Test
    void maskValueAboveTheClassCountIsQuarantinedBut255IsIgnore() throws Exception {
        split("train", "x\n");
        image("x", 8, 8);
        int[][] mask = TestImages.quarterMask(8, 8, 255);
        mask[7][6] = 21;
        TestImages.write(root.resolve("SegmentationClass/x.png"), TestImages.palettePng(mask));
        String reason = quarantineReason("x");
        assertTrue(reason.startsWith("mask value 21 at pixel (6,7)"), reason);
        assertTrue(reason.contains("1..20"), reason);
    }

    @Test
    void malformedXmlIsQuarantined() {
        split("train", "x\n");
        image("x", 8, 8);
        TestImages.write(root.resolve("Annotations/x.xml"), "<annotation><object><name>cat</name></annotation>");
        String reason = quarantineReason("x");
        assertTrue(reason.startsWith("malformed XML in " + root + "/Annotations/x.xml"), reason);
    }

    @Test
    void xmlObjectNameNotInTheClassListIsQuarantined() {
        split("train", "x\n");
        image("x", 8, 8);
        TestImages.write(root.resolve("Annotations/x.xml"), xml("cat", "zebra"));
        assertEquals("label 'zebra' in " + root + "/Annotations/x.xml is not in dataset.classes",
                quarantineReason("x"));
    }

    @Test
    void inputFilesAreTheListsAndTheListedFilesWithTheirSizes() throws Exception {
        split("train", "x\nmissing\n");
        image("x", 8, 8);
        image("unlisted", 8, 8);
        TestImages.write(root.resolve("Annotations/x.xml"), xml("cat"));
        VocReader r = new VocReader(root.toString(), VOC);
        List<FileEntry> files = r.inputFiles(new LocalFs(), List.of("train"));
        assertEquals(List.of("ImageSets/Segmentation/train.txt", "JPEGImages/x.jpg", "Annotations/x.xml"),
                files.stream().map(f -> root.relativize(Path.of(f.path())).toString()).toList());
        for (FileEntry f : files) {
            assertEquals(Files.size(Path.of(f.path())), f.length(), f.path());
        }
    }
}
