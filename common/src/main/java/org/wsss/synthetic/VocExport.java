package org.wsss.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.wsss.data.ClassList;
import org.wsss.data.Box;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;

/**
 * Writes generated scenes as a PASCAL VOC 2012 folder, so that a seed the defaults were not tuned on becomes a
 * held-out dataset read through the VOC reader like any real one: JPEG images, palette PNG masks (ignore band
 * kept), annotation XML with one object per instance and its box ({@code <bndbox>}, VOC's 1-based inclusive
 * corners), the split lists, a point file with the generator's point per instance plus one background click per
 * image, and a scribble PNG per image under {@value #SCRIBBLES_DIR}/ (class on the scribbles along each region's
 * middle, 255 elsewhere; read with dataset.scribbles) and the instances as VOC's SegmentationObject PNGs (each
 * instance's number, 0 background, 255 on the band).
 */
public final class VocExport {

    public static final float JPEG_QUALITY = 0.92f;
    public static final String POINTS_FILE = "points.jsonl";
    public static final String SCRIBBLES_DIR = "Scribbles";
    private static final long BACKGROUND_SALT = 0xB6C11CL;
    /** The background click is drawn among pixels at least this share of the region's deepest distance inside. */
    private static final int DEPTH_PERCENT = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was written: image counts per split and the number of points (instances plus background clicks). */
    public record Summary(Path root, int trainImages, int valImages, int trainPoints, int valPoints) {
    }

    private VocExport() {
    }

    public static Summary write(SyntheticSpec spec, Path root) throws IOException {
        SyntheticScenes scenes = new SyntheticScenes(spec);
        List<String> classNames = scenes.classNames();
        Path images = Files.createDirectories(root.resolve("JPEGImages"));
        Path masks = Files.createDirectories(root.resolve("SegmentationClass"));
        Path xmls = Files.createDirectories(root.resolve("Annotations"));
        Path scribbles = Files.createDirectories(root.resolve(SCRIBBLES_DIR));
        Path objects = Files.createDirectories(root.resolve("SegmentationObject"));
        Path lists = Files.createDirectories(root.resolve("ImageSets/Segmentation"));
        StringBuilder train = new StringBuilder();
        StringBuilder val = new StringBuilder();
        StringBuilder points = new StringBuilder();
        int[] imageCount = new int[2];
        int[] pointCount = new int[2];
        for (int i = 0; i < spec.count(); i++) {
            Scene scene = scenes.render(i);
            String id = scene.imageId();
            Files.write(images.resolve(id + ".jpg"), ImageCodec.encodeJpeg(scene.image(), JPEG_QUALITY));
            Files.write(masks.resolve(id + ".png"), ImageCodec.encodePaletteMask(scene.mask()));
            Files.writeString(xmls.resolve(id + ".xml"), annotationXml(scene, classNames));
            Files.write(scribbles.resolve(id + ".png"), ImageCodec.encodePaletteMask(scene.scribble()));
            Files.write(objects.resolve(id + ".png"), ImageCodec.encodePaletteMask(scene.instances()));
            List<Point> clicks = new ArrayList<>(scene.points());
            Point bg = backgroundPoint(scene.mask(),
                    new SplittableRandom(SyntheticScenes.mix(spec.seed() ^ BACKGROUND_SALT, i)));
            if (bg != null) {
                clicks.add(bg);
            }
            points.append(pointsLine(id, clicks, classNames)).append('\n');
            int s = scene.split().equals("val") ? 1 : 0;
            (s == 1 ? val : train).append(id).append('\n');
            imageCount[s]++;
            pointCount[s] += clicks.size();
        }
        Files.writeString(lists.resolve("train.txt"), train);
        Files.writeString(lists.resolve("val.txt"), val);
        Files.writeString(root.resolve(POINTS_FILE), points, StandardCharsets.UTF_8);
        return new Summary(root, imageCount[0], imageCount[1], pointCount[0], pointCount[1]);
    }

    /**
     * A background pixel deep inside the largest 4-connected background region (at least 60% of that region's
     * deepest chamfer distance from its edge), drawn with {@code rng}; null when the mask has no background.
     */
    static Point backgroundPoint(LabelMask mask, SplittableRandom rng) {
        int w = mask.width();
        int h = mask.height();
        int[] region = largestBackgroundRegion(mask);
        if (region == null) {
            return null;
        }
        byte[] inside = new byte[w * h];
        Arrays.fill(inside, (byte) LabelMask.IGNORE);
        for (int p : region) {
            inside[p] = 0;
        }
        int[] depth = SceneAnnotator.depthFromIgnore(new LabelMask(w, h, inside));
        int deepest = 0;
        for (int p : region) {
            deepest = Math.max(deepest, depth[p]);
        }
        List<Integer> candidates = new ArrayList<>();
        for (int p : region) {
            if (depth[p] * 100 >= deepest * DEPTH_PERCENT) {
                candidates.add(p);
            }
        }
        int p = candidates.get(rng.nextInt(candidates.size()));
        return new Point(p % w, p / w, 0);
    }

    /** Pixel indices of the largest 4-connected region of background (0) pixels, or null when there is none. */
    private static int[] largestBackgroundRegion(LabelMask mask) {
        int w = mask.width();
        int n = w * mask.height();
        byte[] labels = mask.labels();
        boolean[] seen = new boolean[n];
        int[] stack = new int[n];
        int[] members = new int[n];
        int[] best = null;
        for (int start = 0; start < n; start++) {
            if (seen[start] || labels[start] != 0) {
                continue;
            }
            int size = 0;
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int p = stack[--top];
                members[size++] = p;
                int x = p % w;
                int[] next = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w};
                for (int q : next) {
                    if (q >= 0 && q < n && !seen[q] && labels[q] == 0) {
                        seen[q] = true;
                        stack[top++] = q;
                    }
                }
            }
            if (best == null || size > best.length) {
                best = Arrays.copyOf(members, size);
            }
        }
        return best;
    }

    private static String annotationXml(Scene scene, List<String> classNames) {
        StringBuilder sb = new StringBuilder("<annotation>\n");
        sb.append("  <folder>VOC2012</folder>\n  <filename>").append(scene.imageId()).append(".jpg</filename>\n");
        sb.append("  <size><width>").append(scene.image().width()).append("</width><height>")
                .append(scene.image().height()).append("</height><depth>3</depth></size>\n");
        sb.append("  <segmented>1</segmented>\n");
        for (Box b : scene.boxes()) {
            sb.append("  <object><name>").append(classNames.get(b.classIndex() - 1))
                    .append("</name><difficult>0</difficult><bndbox><xmin>").append(b.x0() + 1).append("</xmin><ymin>")
                    .append(b.y0() + 1).append("</ymin><xmax>").append(b.x1()).append("</xmax><ymax>").append(b.y1())
                    .append("</ymax></bndbox></object>\n");
        }
        return sb.append("</annotation>\n").toString();
    }

    private static String pointsLine(String id, List<Point> points, List<String> classNames) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("image_id", id);
        ArrayNode arr = line.putArray("points");
        for (Point p : points) {
            arr.addObject().put("x", p.x()).put("y", p.y())
                    .put("class", p.classIndex() == 0 ? ClassList.BACKGROUND : classNames.get(p.classIndex() - 1));
        }
        return JSON.writeValueAsString(line);
    }
}
