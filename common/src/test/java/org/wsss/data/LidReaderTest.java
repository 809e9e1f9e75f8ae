package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LidReaderTest {

    private static final ClassList ABC = new ClassList(List.of("a", "b", "c"));

    @TempDir
    Path root;

    private final LocalFs fs = new LocalFs();

    private void list(String name, String text) {
        TestImages.write(root.resolve("ImageSets/DET/" + name), text);
    }

    private void track1(String name, String text) {
        TestImages.write(root.resolve("LID_track1/" + name), text);
    }

    private void trainImage(String id) {
        TestImages.write(root.resolve("Data/DET/train/" + id + ".JPEG"), TestImages.jpeg(12, 10));
    }

    private LidReader reader(ClassList classes) {
        return new LidReader(root.toString(), classes, LidLayout.DEFAULT);
    }

    private Map<String, SampleRef> byId(List<SampleRef> refs) {
        return refs.stream().collect(Collectors.toMap(SampleRef::imageId, Function.identity()));
    }

    private void standardTrainLists() {
        list("train_1.txt", "img1 1\nimg2 -1\nsub/img3 0\n");
        list("train_2.txt", "img1 1\n\nsub/img3 1\n");
        list("train_3.txt", "img2 -1\nimg4 0\n");
    }

    @Test
    void trainLabelsAreThePositiveClassesOnlyAndImagesWithoutOneAreReportedNotIngested() throws Exception {
        standardTrainLists();
        DatasetListing listing = reader(ABC).listing(fs, List.of("train"));
        List<SampleRef> refs = listing.refs();
        assertEquals(List.of("img1", "sub/img3"), refs.stream().map(SampleRef::imageId).toList());
        Map<String, SampleRef> ids = byId(refs);
        assertEquals(List.of("a", "b"), ids.get("img1").labelNames());
        assertEquals(List.of("b"), ids.get("sub/img3").labelNames(), "partial for a, positive for b");
        // img2: -1 for a and c; img4: 0 (partial) for c. Neither has a positive: reported with the first list naming it
        assertEquals(List.of("img2 " + root + "/ImageSets/DET/train_1.txt " + LidReader.ONLY_NEGATIVE,
                        "img4 " + root + "/ImageSets/DET/train_3.txt " + LidReader.ONLY_PARTIAL),
                listing.unlabelled().stream().map(u -> String.join(" ", u)).toList());
        assertEquals(root + "/Data/DET/train/sub/img3.JPEG", ids.get("sub/img3").imagePath());
        assertNull(ids.get("img1").maskPath());
    }

    @Test
    void loadedTrainSamplesCarryTheListLabelsAsIndices() throws Exception {
        standardTrainLists();
        trainImage("img1");
        trainImage("sub/img3");
        LidReader r = reader(ABC);
        Map<String, SampleRef> ids = byId(r.list(fs, List.of("train")));
        Sample s1 = r.load(ids.get("img1"), fs);
        assertArrayEquals(new int[] {1, 2}, s1.labels());
        assertEquals(12, s1.width());
        Sample s3 = r.load(ids.get("sub/img3"), fs);
        assertArrayEquals(new int[] {2}, s3.labels());
        assertEquals("sub/img3", s3.imageId());
        list("train_1.txt", "img1 1\nimg2 1\n");
        SampleRef img2 = byId(r.list(fs, List.of("train"))).get("img2");
        assertEquals("listed image is missing: " + root + "/Data/DET/train/img2.JPEG",
                assertThrows(QuarantineException.class, () -> r.load(img2, fs)).reason());
    }

    @Test
    void classNamesComeFromTheClassListByPosition() throws Exception {
        standardTrainLists();
        ClassList named = new ClassList(List.of("airplane", "antelope", "apple"));
        Map<String, SampleRef> ids = byId(reader(named).list(fs, List.of("train")));
        assertEquals(List.of("airplane", "antelope"), ids.get("img1").labelNames());
    }

    @Test
    void aListBeyondTheClassListIsALayoutError() {
        standardTrainLists();
        list("train_4.txt", "img5 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader(ABC).list(fs, List.of("train")));
        assertTrue(e.getMessage().contains("train_4.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset.classes has 3 classes"), e.getMessage());
    }

    @Test
    void aMalformedListLineNamesTheFileAndLine() {
        list("train_1.txt", "img1 1\nimg2 2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader(ABC).list(fs, List.of("train")));
        assertTrue(e.getMessage().startsWith(root + "/ImageSets/DET/train_1.txt line 2:"), e.getMessage());
    }

    @Test
    void defaultClassesAreTheTwoHundredIlsvrcDetClassesInTheirOfficialOrder() {
        // ILSVRC 2014 DET devkit meta_det.mat: ID 1 accordion, 2 airplane, 28 bow tie, 29 bow, 124 person, 200 zebra
        List<String> names = LidReader.defaultClasses().names();
        assertEquals(200, names.size());
        assertEquals(List.of("accordion", "airplane"), names.subList(0, 2));
        assertEquals(List.of("bow_tie", "bow"), names.subList(27, 29));
        assertEquals("person", names.get(123));
        assertEquals("hat_with_a_wide_brim", names.get(86));
        assertEquals("zebra", names.get(199));
    }

    @Test
    void valLabelsComeFromTheGroundTruthMask() throws Exception {
        track1("val.txt", "v1 1\nv2 2\n\n");
        TestImages.write(root.resolve("LID_track1/val/v1.JPEG"), TestImages.jpeg(10, 8));
        TestImages.write(root.resolve("LID_track1/val/v2.JPEG"), TestImages.jpeg(10, 8));
        int[][] mask = TestImages.quarterMask(10, 8, 3);
        mask[7][9] = 255;
        byte[] maskBytes = TestImages.greyPng(mask);
        TestImages.write(root.resolve("LID_track1/val_gt/v1.png"), maskBytes);
        LidReader r = reader(ABC);
        List<SampleRef> refs = r.list(fs, List.of("val"));
        assertEquals(List.of("v1", "v2"), refs.stream().map(SampleRef::imageId).toList());
        assertNull(refs.get(1).maskPath());
        Sample v1 = r.load(refs.get(0), fs);
        assertArrayEquals(new int[] {3}, v1.labels());
        assertArrayEquals(maskBytes, v1.maskPng(), "an 8-bit grey mask is kept as its file bytes");
        assertEquals("val", v1.split());
        assertEquals(0, r.load(refs.get(1), fs).labels().length);
    }

    @Test
    void valMaskValueAboveTheClassCountIsQuarantined() {
        track1("val.txt", "v1\n");
        TestImages.write(root.resolve("LID_track1/val/v1.JPEG"), TestImages.jpeg(10, 8));
        TestImages.write(root.resolve("LID_track1/val_gt/v1.png"),
                TestImages.greyPng(TestImages.quarterMask(10, 8, 4)));
        LidReader r = reader(ABC);
        String reason = assertThrows(QuarantineException.class,
                () -> r.load(r.list(fs, List.of("val")).get(0), fs)).reason();
        assertTrue(reason.startsWith("mask value 4 at pixel (0,0) of " + root + "/LID_track1/val_gt/v1.png"), reason);
    }

    @Test
    void truncatedTrainImageIsQuarantined() throws Exception {
        list("train_1.txt", "cut 1\n");
        byte[] jpeg = TestImages.noisyJpeg(96, 64, 9);
        TestImages.write(root.resolve("Data/DET/train/cut.JPEG"), Arrays.copyOf(jpeg, jpeg.length / 2));
        LidReader r = reader(ABC);
        String reason = assertThrows(QuarantineException.class,
                () -> r.load(r.list(fs, List.of("train")).get(0), fs)).reason();
        assertEquals("truncated JPEG (no end-of-image marker): " + root + "/Data/DET/train/cut.JPEG", reason);
    }

    @Test
    void missingValListAndUnknownSplitAreLayoutErrors() {
        standardTrainLists();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reader(ABC).list(fs, List.of("train", "val")));
        assertEquals("LID val list " + root + "/LID_track1/val.txt does not exist (dataset.root / "
                + "dataset.lid.val-list)", e.getMessage());
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> reader(ABC).list(fs, List.of("trainval")));
        assertEquals("dataset.splits: LID has the splits train, val and test, not 'trainval'", split.getMessage());
    }

    @Test
    void theTestSplitIsItsListsImagesWithoutLabelsOrMasks() throws Exception {
        track1("test.txt", "t2\nt1\n");
        TestImages.write(root.resolve("LID_track1/test/t1.JPEG"), TestImages.jpeg(10, 8));
        TestImages.write(root.resolve("LID_track1/test/t2.JPEG"), TestImages.jpeg(6, 4));
        LidReader r = reader(ABC);
        List<SampleRef> refs = r.list(fs, List.of("test"));
        assertEquals(List.of("t2", "t1"), refs.stream().map(SampleRef::imageId).toList());
        Sample t2 = r.load(refs.get(0), fs);
        assertEquals("test", t2.split());
        assertEquals(6, t2.width());
        assertEquals(0, t2.labels().length);
        assertNull(t2.maskPng());
    }

    @Test
    void customLayoutIsHonoured() throws Exception {
        TestImages.write(root.resolve("lists/train_1.txt"), "p 1\n");
        TestImages.write(root.resolve("lists/my-val.txt"), "q\n");
        TestImages.write(root.resolve("gt/q.png"), TestImages.greyPng(new int[][] {{1}}));
        LidLayout layout = new LidLayout("lists", "imgs/train", "lists/my-val.txt", "imgs/val", "gt", "t.txt", "t");
        List<SampleRef> refs = new LidReader(root.toString(), ABC, layout).list(fs, List.of("train", "val"));
        assertEquals(root + "/imgs/train/p.JPEG", refs.get(0).imagePath());
        assertEquals(root + "/imgs/val/q.JPEG", refs.get(1).imagePath());
        assertEquals(root + "/gt/q.png", refs.get(1).maskPath());
    }

    @Test
    void inputFilesAreTheListsAndTheListedImagesAndMasks() throws Exception {
        list("train_1.txt", "t1 1\n");
        track1("val.txt", "v1\n");
        track1("test.txt", "x1\n");
        trainImage("t1");
        TestImages.write(root.resolve("LID_track1/val/v1.JPEG"), TestImages.jpeg(4, 4));
        TestImages.write(root.resolve("LID_track1/val_gt/v1.png"), TestImages.greyPng(new int[4][4]));
        TestImages.write(root.resolve("LID_track1/test/x1.JPEG"), TestImages.jpeg(4, 4));
        List<FileEntry> files = reader(ABC).inputFiles(fs, List.of("train", "val", "test"));
        assertEquals(List.of("ImageSets/DET/train_1.txt", "Data/DET/train/t1.JPEG", "LID_track1/val.txt",
                        "LID_track1/val/v1.JPEG", "LID_track1/val_gt/v1.png", "LID_track1/test.txt",
                        "LID_track1/test/x1.JPEG"),
                files.stream().map(f -> root.relativize(Path.of(f.path())).toString()).toList());
    }
}
