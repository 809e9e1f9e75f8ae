package org.wsss.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.wsss.spark.LabelMapSchema;
import org.wsss.spark.SerializableHadoopConf;
import org.wsss.spark.SmallFiles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;

/**
 * Writes label PNGs out of a committed label table (random-walk's pseudo-labels or predict's predictions) for the
 * images a user asks for: at dataset scale the stages keep their labels in Parquet only (one file per image is the
 * small-files problem on HDFS and object stores, conf/cluster.conf turns it off), and this exports the few a person
 * wants to look at, or all of them where files are wanted. Runs on executors; writes {@code <out>/<pngName(id)>}.
 */
public final class PngExport {
    /** The stages whose {@code labels} table holds label PNGs ({@link LabelMapSchema}). */
    public static final List<String> STAGES = List.of(RandomWalkJob.NAME, PredictJob.NAME);

    /** What was written, and the asked-for ids the table does not hold. */
    public record Result(long written, List<String> missing, String out) {
    }

    private PngExport() {
    }

    /**
     * @param ids   the images to export; null for every image of the table
     * @param limit with ids null, at most this many (the first by image id); 0 = no limit
     */
    public static Result run(JobContext ctx, String stage, Collection<String> ids, int limit, String out)
            throws Exception {
        if (!STAGES.contains(stage)) {
            throw new IllegalArgumentException("--stage " + stage + ": label PNGs come from " + STAGES);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        if (ids != null && limit > 0) {
            throw new IllegalStateException("--ids and --limit exclude each other: --ids names the images");
        }
        ctx.requireComplete(stage);
        Dataset<Row> labels = ctx.spark().read().parquet(ctx.stagePath(stage, "labels")).select("image_id", "mask");
        Set<String> wanted = ids == null ? null : new TreeSet<>(ids);
        if (wanted != null) {
            labels = labels.filter(col("image_id").isin(wanted.toArray()));
        } else if (limit > 0) {
            labels = labels.orderBy("image_id").limit(limit);
        }
        Path outPath = new Path(out);
        SerializableHadoopConf conf = new SerializableHadoopConf(ctx.hadoopConf());
        LongAccumulator written = ctx.spark().sparkContext().longAccumulator("png-export");
        String outDir = outPath.toString();
        labels.javaRDD().foreachPartition(it -> {
            FileSystem fs = new Path(outDir).getFileSystem(conf.get());
            while (it.hasNext()) {
                Row r = it.next();
                SmallFiles.write(fs, new Path(outDir, LabelMapSchema.pngName(r.getString(0))), (byte[]) r.get(1));
                written.add(1);
            }
        });
        List<String> missing = new ArrayList<>();
        if (wanted != null) {
            Set<String> found = new TreeSet<>(labels.select("image_id").as(
                    org.apache.spark.sql.Encoders.STRING()).collectAsList());
            for (String id : wanted) {
                if (!found.contains(id)) {
                    missing.add(id);
                }
            }
        }
        return new Result(written.value(), missing, outDir);
    }
}
