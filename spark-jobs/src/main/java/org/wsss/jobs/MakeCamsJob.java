package org.wsss.jobs;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.cam.CamExtractor;
import org.wsss.cam.CamResult;
import org.wsss.cam.FloatBytes;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ImageIds;
import org.wsss.data.ImageCodec;
import org.wsss.metrics.PhaseClock;
import org.wsss.data.RgbImage;
import org.wsss.spark.CamSchema;
import org.wsss.spark.ManifestSchema;
import org.wsss.spark.ModelStore;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.spark.ProgressListener;
import org.wsss.spark.RowStream;
import org.wsss.spark.SmallFiles;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * {@code wsss make-cams}: Class Activation Maps for every image of the manifest, computed on executors with
 * the classifier loaded once per partition; multi-scale and flipped as configured; PNG heatmaps for a sample.
 */
public final class MakeCamsJob implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(MakeCamsJob.class);
    public static final String NAME = "make-cams";
    static final String DESCRIPTION = "Computes Class Activation Maps for every image on executors (multi-scale, flipped), writes <run-dir>/make-cams/cams (Parquet) and PNG heatmaps for a sample.";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<String> configPrefixes() {
        return List.of("cam.scales", "cam.flip", "cam.sample-heatmaps", "classifier.threshold",
                "classifier.exclude-classes");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, TrainClassifierJob.NAME);
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        double[] scales = s.get(Params.Cam.SCALES).stream().mapToDouble(Double::doubleValue).toArray();
        boolean flip = s.get(Params.Cam.FLIP);
        double threshold = s.get(Params.Classifier.THRESHOLD);
        byte[] modelBytes = ModelStore.readBytes(ctx, new Path(ctx.stageDir(TrainClassifierJob.NAME),
                TrainClassifierJob.MODEL));
        Broadcast<byte[]> model = ctx.jsc().broadcast(modelBytes);
        Set<Integer> excluded = TrainClassifierJob.excludedClasses(s, IngestJob.classes(ctx));

        Dataset<Row> manifest = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .select("image_id", "split", "width", "height", "labels", "image");
        long images = manifest.count();
        PhaseAccumulator phases = PhaseAccumulator.register(ctx.spark().sparkContext(), NAME);
        JavaRDD<Row> rows = manifest.javaRDD().mapPartitions(it -> camsOf(it, model.value(), scales, flip, threshold,
                excluded, phases));
        long t0 = System.nanoTime();
        int partitions = rows.getNumPartitions();
        ProgressListener progress = ProgressListener.start(ctx.spark().sparkContext(), NAME, partitions, images,
                s.get(Params.Runtime.PROGRESS_SECONDS));
        try (progress) {
            ctx.spark().createDataFrame(rows, CamSchema.CAMS).write().parquet(ctx.stagePath(NAME, "cams"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        model.destroy();

        int sample = s.get(Params.Cam.SAMPLE_HEATMAPS);
        if (sample > 0) {
            writeHeatmaps(ctx, sample);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("num_images", images);
        metrics.put("images_per_second", images / Math.max(seconds, 1e-9));
        metrics.put("scales", s.get(Params.Cam.SCALES));
        metrics.put("flip", flip);
        metrics.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return metrics;
    }

    private static Iterator<Row> camsOf(Iterator<Row> it, byte[] modelBytes, double[] scales, boolean flip,
                                        double threshold, Set<Integer> excluded, PhaseAccumulator phases) {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        PhaseClock clock = new PhaseClock();
        ModelStore.Loaded model = ModelStore.load(modelBytes, clock);
        CamExtractor extractor = new CamExtractor(model.net(), model.norm());
        return RowStream.map(it, r -> {
            RgbImage img;
            try (PhaseClock.Lap lap = clock.start("decode")) {
                img = ImageCodec.decodeRgb((byte[]) r.get(5));
            }
            List<Integer> labelList = r.getList(4);
            // an excluded class gets no map: the classifier was never trained to find it
            int[] labels = labelList.stream().mapToInt(Integer::intValue).filter(c -> !excluded.contains(c)).toArray();
            List<Integer> excludedTags = labelList.stream().filter(excluded::contains).toList();
            CamResult cam = extractor.compute(img, labels, scales, flip, threshold, clock);
            List<Integer> classes = new ArrayList<>();
            for (int c : cam.classes()) {
                classes.add(c);
            }
            List<Float> scores = new ArrayList<>();
            for (float f : cam.scores()) {
                scores.add(f);
            }
            return RowFactory.create(r.getString(0), r.getString(1), r.getInt(2), r.getInt(3),
                    ManifestSchema.seq(classes), cam.gridH(), cam.gridW(), cam.stride(),
                    FloatBytes.encode(cam.maps()), ManifestSchema.seq(scores), ManifestSchema.seq(excludedTags));
        }, () -> phases.add(clock));
    }

    /** Heatmap file of class k of an image: the id encoded by ImageIds.fileName, so it cannot leave the folder. */
    static String heatmapName(String imageId, int k) {
        return ImageIds.fileName(imageId) + "_c" + k + ".png";
    }

    static void writeHeatmaps(JobContext ctx, int sample) throws Exception {
        List<Row> rows = ctx.spark().read().parquet(ctx.stagePath(NAME, "cams")).orderBy("image_id")
                .limit(sample).collectAsList();
        Path dir = new Path(ctx.stageDir(NAME), "heatmaps");
        ctx.fs().mkdirs(dir);
        for (Row r : rows) {
            List<Integer> classes = r.getList(r.fieldIndex("classes"));
            int gh = r.getInt(r.fieldIndex("grid_height")), gw = r.getInt(r.fieldIndex("grid_width"));
            float[] maps = FloatBytes.decode((byte[]) r.get(r.fieldIndex("cams")));
            for (int k = 0; k < classes.size(); k++) {
                byte[] png = Heatmaps.png(maps, k, gh, gw, r.getInt(r.fieldIndex("width")),
                        r.getInt(r.fieldIndex("height")));
                Path p = new Path(dir, heatmapName(r.getString(0), classes.get(k)));
                SmallFiles.write(ctx.fs(), p, png);
            }
        }
        LOG.info("{}: heatmaps of {} images in {}", NAME, rows.size(), dir);
    }
}
