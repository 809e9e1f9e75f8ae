package org.wsss.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.data.Box;
import org.wsss.data.ClassList;
import org.wsss.data.DecodedImage;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.LocalFs;
import org.wsss.data.NamedPoint;
import org.wsss.data.Point;
import org.wsss.data.PointsFile;
import org.wsss.data.Sample;
import org.wsss.data.SampleRef;
import org.wsss.data.VocReader;

/** The exported folder read back through the VOC reader and the points file parser, against the generator. */
class VocExportTest {
    private static final SyntheticSpec SPEC = new SyntheticSpec(12, 48, 11L, 0.3, 4);
    private static final List<Scene> SCENES = new ArrayList<>();
    private static final LocalFs FS = new LocalFs();

    @TempDir
    static Path dir;
    private static Path root;
    private static VocExport.Summary summary;

    @BeforeAll
    static void export() throws Exception {
        root = dir.resolve("voc");
        summary = VocExport.write(SPEC, root);
        SyntheticScenes scenes = new SyntheticScenes(SPEC);
        for (int i = 0; i < SPEC.count(); i++) {
            SCENES.add(scenes.render(i));
        }
    }

    private static List<String> listed(String split) throws Exception {
        return Files.readAllLines(root.resolve("ImageSets/Segmentation/" + split + ".txt"));
    }

    @Test
    void everySceneHasItsFilesAndIsListedInExactlyItsSplit() throws Exception {
        List<String> train = listed("train");
        List<String> val = listed("val");
        assertFalse(train.isEmpty());
        assertFalse(val.isEmpty());
        assertEquals(SPEC.count(), train.size() + val.size());
        for (Scene s : SCENES) {
            String id = s.imageId();
            assertTrue(Files.isRegularFile(root.resolve("JPEGImages/" + id + ".jpg")), id);
            assertTrue(Files.isRegularFile(root.resolve("SegmentationClass/" + id + ".png")), id);
            assertTrue(Files.isRegularFile(root.resolve("Annotations/" + id + ".xml")), id);
            assertEquals(s.split().equals("train"), train.contains(id), id);
            assertEquals(s.split().equals("val"), val.contains(id), id);
        }
        assertEquals(train.size(), summary.trainImages());
        assertEquals(val.size(), summary.valImages());
    }

    @Test
    void theVocReaderReadsBackTheGeneratorsMasksLabelsAndImages() throws Exception {
        VocReader reader = new VocReader(root.toString(), new ClassList(SyntheticPreset.SHAPES.classNames()));
        List<SampleRef> refs = reader.list(FS, List.of("train", "val"));
        assertEquals(SPEC.count(), refs.size());
        for (SampleRef ref : refs) {
            Scene scene = SCENES.get(Integer.parseInt(ref.imageId().substring("syn_".length())));
            assertEquals(scene.imageId(), ref.imageId());
            assertEquals(scene.split(), ref.split());
            Sample s = reader.load(ref, FS);
            assertArrayEquals(scene.labels(), s.labels(), ref.imageId() + " labels from the XML");
            LabelMask mask = ImageCodec.decodeMask(s.maskPng(), ref.imageId());
            assertArrayEquals(scene.mask().labels(), mask.labels(), ref.imageId() + " mask, 255 band included");
            assertTrue(hasIgnore(mask), ref.imageId());
            DecodedImage img = ImageCodec.decode(s.imageBytes(), ref.imageId());
            assertEquals("jpeg", img.format());
            assertEquals(SPEC.size(), img.width());
            double diff = meanAbsDiff(scene.image().rgb(), img.image().rgb());
            assertTrue(diff > 0 && diff < 10, ref.imageId() + " JPEG mean absolute difference " + diff);
        }
    }

    /**
     * Boxes and scribbles, read back: the XML's boxes are the scene's, each box bounds pixels of its class in the
     * mask, every object pixel lies in a box of its class; each scribble pixel carries the mask's class there,
     * every labelled image has scribbles of each of its classes, and the scribble folder reads back exactly.
     */
    @Test
    void boxesAndScribblesReadBackAndAgreeWithTheMasks() throws Exception {
        VocReader reader = new VocReader(root.toString(), new ClassList(SyntheticPreset.SHAPES.classNames()));
        for (SampleRef ref : reader.list(FS, List.of("train", "val"))) {
            Scene scene = SCENES.get(Integer.parseInt(ref.imageId().substring("syn_".length())));
            Sample s = reader.load(ref.withScribble(root.resolve(VocExport.SCRIBBLES_DIR)
                    .resolve(ref.imageId() + ".png").toString()), FS);
            assertEquals(scene.boxes(), s.boxes(), ref.imageId() + " boxes from the XML");
            assertEquals(scene.points().size(), s.boxes().size(), "one box per annotated instance");
            LabelMask mask = scene.mask();
            int n = mask.width();
            for (int p = 0; p < n * n; p++) {
                int v = mask.labels()[p] & 0xff;
                if (v != 0 && v != LabelMask.IGNORE) {
                    int x = p % n;
                    int y = p / n;
                    assertTrue(s.boxes().stream().anyMatch(b -> b.classIndex() == v && b.contains(x, y)),
                            ref.imageId() + ": pixel " + x + "," + y + " of class " + v + " in no box of its class");
                }
            }
            for (Box b : s.boxes()) {
                boolean ofItsClass = false;
                for (int y = b.y0(); y < b.y1(); y++) {
                    for (int x = b.x0(); x < b.x1(); x++) {
                        ofItsClass |= (mask.labels()[y * n + x] & 0xff) == b.classIndex();
                    }
                }
                assertTrue(ofItsClass, ref.imageId() + ": box " + b + " holds no pixel of its class");
            }
            LabelMask scribble = ImageCodec.decodeMask(s.scribblePng(), ref.imageId());
            assertArrayEquals(scene.scribble().labels(), scribble.labels(), ref.imageId() + " scribbles read back");
            Set<Integer> scribbled = new HashSet<>();
            for (int p = 0; p < n * n; p++) {
                int v = scribble.labels()[p] & 0xff;
                if (v != LabelMask.IGNORE) {
                    assertEquals(mask.labels()[p] & 0xff, v, ref.imageId() + ": scribble pixel " + p);
                    scribbled.add(v);
                }
            }
            for (int c : scene.labels()) {
                assertTrue(scribbled.contains(c), ref.imageId() + ": no scribble of class " + c);
            }
        }
    }

    @Test
    void pointsAreOnePerInstanceAndOneDeepBackgroundClickAllOnPixelsOfTheirClass() throws Exception {
        ClassList classes = new ClassList(SyntheticPreset.SHAPES.classNames());
        Map<String, List<NamedPoint>> points = PointsFile.read(FS, root.resolve("points.jsonl").toString());
        assertEquals(SPEC.count(), points.size());
        int trainPoints = 0;
        for (Scene scene : SCENES) {
            List<NamedPoint> p = points.get(scene.imageId());
            LabelMask mask = scene.mask();
            List<NamedPoint> background = p.stream().filter(q -> q.className().equals("background")).toList();
            assertEquals(1, background.size(), scene.imageId());
            assertEquals(scene.points().size(), p.size() - 1, scene.imageId() + " one point per instance");
            for (NamedPoint q : p) {
                int expected = q.className().equals("background") ? 0 : classes.indexOf(q.className());
                assertTrue(expected >= 0, q.className());
                assertEquals(expected, mask.get(q.x(), q.y()), scene.imageId() + " " + q);
            }
            NamedPoint bg = background.get(0);
            assertTrue(largestBackgroundRegion(mask).contains(bg.y() * mask.width() + bg.x()),
                    scene.imageId() + " background click " + bg + " is in the largest background region");
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    assertEquals(0, mask.get(bg.x() + dx, bg.y() + dy), scene.imageId() + " " + bg + " is deep");
                }
            }
            if (scene.split().equals("train")) {
                trainPoints += p.size();
            }
        }
        assertEquals(trainPoints, summary.trainPoints());
    }

    @Test
    void theReaderTurnsTheBackgroundClickIntoClassZero() throws Exception {
        VocReader reader = new VocReader(root.toString(), new ClassList(SyntheticPreset.SHAPES.classNames()));
        Map<String, List<NamedPoint>> points = PointsFile.read(FS, root.resolve("points.jsonl").toString());
        SampleRef ref = reader.list(FS, List.of("train")).get(0);
        Sample s = reader.load(ref.withPoints(points.get(ref.imageId())), FS);
        LabelMask mask = ImageCodec.decodeMask(s.maskPng(), ref.imageId());
        assertEquals(1, s.points().stream().filter(q -> q.classIndex() == 0).count());
        for (Point q : s.points()) {
            assertEquals(mask.get(q.x(), q.y()), q.classIndex(), q.toString());
        }
    }

    private static boolean hasIgnore(LabelMask mask) {
        for (byte b : mask.labels()) {
            if ((b & 0xff) == LabelMask.IGNORE) {
                return true;
            }
        }
        return false;
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    /** Breadth-first flood fill from every background pixel; the biggest 4-connected region's pixel indices. */
    private static Set<Integer> largestBackgroundRegion(LabelMask mask) {
        int w = mask.width();
        int h = mask.height();
        Set<Integer> seen = new HashSet<>();
        Set<Integer> best = Set.of();
        for (int start = 0; start < w * h; start++) {
            if (mask.labels()[start] != 0 || seen.contains(start)) {
                continue;
            }
            Set<Integer> region = new HashSet<>();
            ArrayDeque<int[]> queue = new ArrayDeque<>();
            queue.add(new int[]{start % w, start / w});
            seen.add(start);
            while (!queue.isEmpty()) {
                int[] xy = queue.poll();
                region.add(xy[1] * w + xy[0]);
                for (int[] d : new int[][]{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                    int x = xy[0] + d[0];
                    int y = xy[1] + d[1];
                    if (x >= 0 && y >= 0 && x < w && y < h && mask.get(x, y) == 0 && seen.add(y * w + x)) {
                        queue.add(new int[]{x, y});
                    }
                }
            }
            if (region.size() > best.size()) {
                best = region;
            }
        }
        return best;
    }
}
