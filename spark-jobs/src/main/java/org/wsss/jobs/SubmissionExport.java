package org.wsss.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.wsss.data.ImageCodec;
import org.wsss.data.ImageIds;
import org.wsss.data.LabelMask;
import org.wsss.data.QuarantineException;

import java.io.OutputStream;
import java.util.Iterator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.apache.spark.sql.functions.col;

/**
 * LID's submission file: predict's label maps of one split as one 8-bit greyscale PNG per image (value = class, 0
 * background, 1..C), each at its image's size, named {@code <image id>.png} at the top of a zip, as LID's evaluation
 * server takes them. Ids are encoded as the stages name their files ({@link ImageIds#fileName}), so no entry can name
 * a folder outside the archive.
 */
public final class SubmissionExport {

    /** What was written. */
    public record Result(long images, String zip) {
    }

    private SubmissionExport() {
    }

    /** The default archive: {@code <run-dir>/submission/<split>.zip}, beside the stages' folders. */
    public static String defaultZip(JobContext ctx, String split) {
        return new Path(new Path(ctx.runDir().toString(), "submission"), split + ".zip").toString();
    }

    public static Result run(JobContext ctx, String split, String zip) throws Exception {
        ctx.requireComplete(PredictJob.NAME);
        int classes = IngestJob.classes(ctx).size();
        var rows = ctx.spark().read().parquet(ctx.stagePath(PredictJob.NAME, "labels"))
                .filter(col("split").equalTo(split)).select("image_id", "width", "height", "mask").orderBy("image_id");
        if (rows.isEmpty()) {
            throw new IllegalStateException("export-submission: predict holds no image of the split '" + split
                    + "' (predict.splits = the splits it predicted; the split must be in dataset.splits and "
                    + "predict.splits)");
        }
        Path out = new Path(zip);
        FileSystem fs = out.getFileSystem(ctx.hadoopConf());
        Path partial = new Path(out.getParent(), "." + out.getName() + ".partial");
        long images = 0;
        try (OutputStream raw = fs.create(partial, true); ZipOutputStream z = new ZipOutputStream(raw)) {
            Iterator<Row> it = rows.toLocalIterator();
            while (it.hasNext()) {
                Row r = it.next();
                String id = r.getString(0);
                LabelMask mask = decode(id, (byte[]) r.get(3), r.getInt(1), r.getInt(2), classes);
                z.putNextEntry(new ZipEntry(ImageIds.fileName(id) + ".png"));
                z.write(ImageCodec.encodeGreyMask(mask));
                z.closeEntry();
                images++;
            }
        }
        // the archive appears whole or not at all
        fs.delete(out, false);
        if (!fs.rename(partial, out)) {
            throw new IllegalStateException("export-submission: could not move " + partial + " to " + out);
        }
        return new Result(images, out.toString());
    }

    /** Predict's mask of one image, checked against its image's size and the class count. */
    static LabelMask decode(String id, byte[] png, int width, int height, int classes) throws QuarantineException {
        LabelMask mask = ImageCodec.decodeMask(png, "predict's label map of " + id);
        if (mask.width() != width || mask.height() != height) {
            throw new IllegalStateException("export-submission: predict's label map of " + id + " is "
                    + mask.width() + "x" + mask.height() + ", its image " + width + "x" + height);
        }
        for (byte b : mask.labels()) {
            if ((b & 0xff) > classes) {
                throw new IllegalStateException("export-submission: predict's label map of " + id + " holds the value "
                        + (b & 0xff) + ", beyond background and the " + classes + " classes");
            }
        }
        return mask;
    }
}
