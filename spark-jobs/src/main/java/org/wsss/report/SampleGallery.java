package org.wsss.report;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.wsss.cam.FloatBytes;
import org.wsss.data.ClassList;
import org.wsss.data.ImageCodec;
import org.wsss.spark.LabelMapSchema;
import org.wsss.data.QuarantineException;
import org.wsss.data.RgbImage;
import org.wsss.jobs.Heatmaps;
import org.wsss.jobs.IngestJob;
import org.wsss.jobs.JobContext;
import org.wsss.jobs.MakeCamsJob;
import org.wsss.jobs.RandomWalkJob;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

/**
 * The sample table: for the first images of the manifest (val split first, then by image id), the input image,
 * its CAMs over it, the pseudo-label, the prediction and the ground truth side by side. Only committed stages
 * are read; a missing piece is a dash.
 */
final class SampleGallery {
    /** The segmentation stage's output folder and file layout: predict/png/&lt;ImageIds.fileName(image_id)&gt;.png. */
    static final String PREDICT = "predict";
    /** CAM overlay: share of the heatmap colour in each pixel (the rest is the image). */
    private static final float CAM_ALPHA = 0.55f;

    private final JobContext ctx;
    private final ReportFiles files;
    private final ClassList classes;

    SampleGallery(JobContext ctx, ReportFiles files, ClassList classes) {
        this.ctx = ctx;
        this.files = files;
        this.classes = classes;
    }

    /** The images shown: val first, then train, each sorted by image id. */
    static List<String> pickIds(SparkSession spark, String manifest, int count) {
        List<String> ids = new ArrayList<>();
        for (Row r : spark.read().parquet(manifest).select("image_id", "split")
                .orderBy(when(col("split").equalTo("val"), 0).otherwise(1), col("image_id"))
                .limit(count).collectAsList()) {
            ids.add(r.getString(0));
        }
        return ids;
    }

    /** The section's HTML and how many images it shows. */
    record Rendered(String html, int samples) {
    }

    /** Writes the images of the first {@code count} samples and returns the table showing them. */
    Rendered render(int count) throws Exception {
        SparkSession spark = ctx.spark();
        String manifest = ctx.stagePath(IngestJob.NAME, "manifest");
        List<String> ids = pickIds(spark, manifest, count);
        Map<String, Row> rows = byId(spark.read().parquet(manifest)
                .select("image_id", "split", "image_format", "image", "mask", "label_names")
                .filter(col("image_id").isin(ids.toArray())).collectAsList());
        Map<String, Row> cams = ctx.marker(MakeCamsJob.NAME) == null ? Map.of()
                : byId(spark.read().parquet(ctx.stagePath(MakeCamsJob.NAME, "cams"))
                .select("image_id", "classes", "grid_height", "grid_width", "cams", "scores")
                .filter(col("image_id").isin(ids.toArray())).collectAsList());
        boolean walked = ctx.marker(RandomWalkJob.NAME) != null;
        Map<String, Row> walkRows = walked && !allPngs(RandomWalkJob.NAME, ids)
                ? byId(spark.read().parquet(ctx.stagePath(RandomWalkJob.NAME, "labels")).select("image_id", "mask")
                .filter(col("image_id").isin(ids.toArray())).collectAsList()) : Map.of();
        boolean predicted = ctx.marker(PREDICT) != null;

        StringBuilder h = new StringBuilder();
        h.append(legend());
        h.append("<table class=\"samples\">\n<tr><th>image</th><th>input</th><th>CAMs (over the image)</th>"
                + "<th>pseudo-label<br><small>random-walk</small></th><th>prediction<br><small>predict</small></th>"
                + "<th>ground truth</th></tr>\n");
        int index = 0;
        for (String id : ids) {
            Row r = rows.get(id);
            String prefix = String.format("s%02d_%s", index++, ReportFiles.safe(id));
            String split = r.getString(1);
            h.append("<tr class=\"sample\" data-image-id=\"").append(Html.esc(id)).append("\" data-split=\"")
                    .append(Html.esc(split)).append("\">");
            List<String> labelNames = r.getList(5);
            h.append("<td class=\"id\"><b>").append(Html.esc(id)).append("</b><br>").append(Html.esc(split))
                    .append("<br><small>").append(Html.esc(String.join(", ", labelNames))).append("</small></td>");
            byte[] imageBytes = (byte[]) r.get(3);
            String ext = ImageCodec.JPEG.equals(r.getString(2)) ? "jpg" : "png";
            cell(h, "image", img(files.image(prefix + "_image." + ext, imageBytes), id, "photo"));
            cell(h, "cams", camCell(prefix, id, imageBytes, cams.get(id)));
            byte[] pseudo = !walked ? null : walkRows.containsKey(id) ? (byte[]) walkRows.get(id).get(1)
                    : readIfExists(pngOf(RandomWalkJob.NAME, id));
            cell(h, "pseudo", maskCell(prefix + "_pseudo.png", id, pseudo));
            cell(h, "pred", maskCell(prefix + "_pred.png", id, predicted ? readIfExists(pngOf(PREDICT, id)) : null));
            cell(h, "gt", maskCell(prefix + "_gt.png", id, r.isNullAt(4) ? null : (byte[]) r.get(4)));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        return new Rendered(h.toString(), ids.size());
    }

    private String camCell(String prefix, String id, byte[] imageBytes, Row cam) throws IOException {
        if (cam == null) {
            return Html.MISSING;
        }
        List<Integer> cls = cam.getList(1);
        if (cls.isEmpty()) {
            return "<span class=\"missing\">\u2014</span><br><small>no class</small>";
        }
        int gh = cam.getInt(2), gw = cam.getInt(3);
        float[] maps = FloatBytes.decode((byte[]) cam.get(4));
        List<Float> scores = cam.getList(5);
        RgbImage image = ImageCodec.decodeRgb(imageBytes);
        StringBuilder h = new StringBuilder();
        for (int k = 0; k < cls.size(); k++) {
            int c = cls.get(k);
            RgbImage heat = Heatmaps.rgb(maps, k, gh, gw, image.width(), image.height());
            String src = files.image(prefix + "_cam_c" + c + ".png", ImageCodec.encodePng(blend(image, heat)));
            String name = c >= 1 && c <= classes.size() ? classes.name(c) : "class " + c;
            String score = c - 1 < scores.size() ? " " + Html.number(scores.get(c - 1).doubleValue()) : "";
            h.append("<figure>").append(img(src, id, "CAM " + name)).append("<figcaption>").append(Html.esc(name))
                    .append("<small>").append(Html.esc(score)).append("</small></figcaption></figure>");
        }
        return h.toString();
    }

    static RgbImage blend(RgbImage image, RgbImage heat) {
        byte[] out = new byte[image.rgb().length];
        for (int i = 0; i < out.length; i++) {
            float v = (1 - CAM_ALPHA) * (image.rgb()[i] & 0xff) + CAM_ALPHA * (heat.rgb()[i] & 0xff);
            out[i] = (byte) Math.round(v);
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    /** A label PNG (palette or grey) redrawn in the VOC palette, so every mask shows the same colours. */
    private String maskCell(String fileName, String id, byte[] png) throws IOException {
        if (png == null) {
            return Html.MISSING;
        }
        try {
            byte[] palette = ImageCodec.encodePaletteMask(ImageCodec.decodeMask(png, fileName));
            return img(files.image(fileName, palette), id, "labels").replace("<img ", "<img class=\"mask\" ");
        } catch (QuarantineException e) {
            return Html.MISSING + "<br><small>" + Html.esc(e.getMessage()) + "</small>";
        }
    }

    private String legend() {
        StringBuilder h = new StringBuilder("<p class=\"legend\">Label colours: ");
        List<String> names = classes.namesWithBackground();
        for (int i = 0; i < names.size(); i++) {
            h.append(swatch(i, names.get(i)));
        }
        return h.append(swatch(255, "ignore / no label")).append("</p>\n").toString();
    }

    private static String swatch(int index, String name) {
        return String.format("<span class=\"swatch\"><i style=\"background:#%06x\"></i>%s</span> ",
                org.wsss.data.VocPalette.rgb(index), Html.esc(name));
    }

    private static String img(String src, String id, String what) {
        return "<img src=\"" + Html.esc(src) + "\" alt=\"" + Html.esc(what + " of " + id) + "\">";
    }

    private static void cell(StringBuilder h, String column, String content) {
        h.append("<td data-col=\"").append(column).append("\">").append(content).append("</td>");
    }

    private Path pngOf(String stage, String id) {
        // Stages write one PNG per image under <stage>/png/, named as LabelMapSchema.pngName names it.
        return new Path(new Path(ctx.stageDir(stage), "png"), LabelMapSchema.pngName(id));
    }

    private boolean allPngs(String stage, List<String> ids) throws IOException {
        FileSystem fs = ctx.fs();
        for (String id : ids) {
            if (!fs.exists(pngOf(stage, id))) {
                return false;
            }
        }
        return true;
    }

    private byte[] readIfExists(Path p) throws IOException {
        FileSystem fs = ctx.fs();
        if (!fs.exists(p)) {
            return null;
        }
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    private static Map<String, Row> byId(List<Row> rows) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : rows) {
            m.put(r.getString(0), r);
        }
        return m;
    }
}
