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
        return List.of("cam.scales", "cam.flip", "cam.sample-heatmaps", "cam.excluded-class-model",
                "classifier.threshold", "classifier.exclude-classes", "classifier.only-classes");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, TrainClassifierJob.NAME);
    }

    /** The excluded classes' model, when set, by path, size and modification time. */
    @Override
    public String inputFingerprint(JobContext ctx) throws Exception {
        String file = ctx.settings().get(Params.Cam.EXCLUDED_CLASS_MODEL);
        if (file.isBlank()) {
            return "";
        }
        org.wsss.data.FileEntry f = IngestJob.fileEntry(ctx.datasetFs(), Params.Cam.EXCLUDED_CLASS_MODEL.key(), file);
        return f.path() + " " + f.length() + " " + f.modificationTime();
    }

    @Override
    public void validate(Settings s) {
        if (!s.get(Params.Cam.EXCLUDED_CLASS_MODEL).isBlank() && s.get(Params.Classifier.EXCLUDE_CLASSES).isEmpty()) {
            throw new IllegalStateException("cam.excluded-class-model = " + s.get(Params.Cam.EXCLUDED_CLASS_MODEL)
                    + " supplies the CAMs of classifier.exclude-classes, which is empty");
        }
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
        String extraFile = s.get(Params.Cam.EXCLUDED_CLASS_MODEL);
        Broadcast<byte[]> extra = extraFile.isBlank() ? null
                : ctx.jsc().broadcast(ModelStore.readBytes(ctx, Params.Cam.EXCLUDED_CLASS_MODEL.key(), extraFile));

        Dataset<Row> manifest = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .select("image_id", "split", "width", "height", "labels", "image");
        long images = manifest.count();
        PhaseAccumulator phases = PhaseAccumulator.register(ctx.spark().sparkContext(), NAME);
        JavaRDD<Row> rows = manifest.javaRDD().mapPartitions(it -> camsOf(it, model.value(), extra == null ? null : extra.value(),
                scales, flip, threshold, excluded, phases));
        long t0 = System.nanoTime();
        int partitions = rows.getNumPartitions();
        ProgressListener progress = ProgressListener.start(ctx.spark().sparkContext(), NAME, partitions, images,
                s.get(Params.Runtime.PROGRESS_SECONDS));
        try (progress) {
            ctx.spark().createDataFrame(rows, CamSchema.CAMS).write().parquet(ctx.stagePath(NAME, "cams"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        model.destroy();
        if (extra != null) {
            extra.destroy();
        }

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

    private static Iterator<Row> camsOf(Iterator<Row> it, byte[] modelBytes, byte[] extraBytes, double[] scales,
                                        boolean flip, double threshold, Set<Integer> excluded,
                                        PhaseAccumulator phases) {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        PhaseClock clock = new PhaseClock();
        ModelStore.Loaded model = ModelStore.load(modelBytes, clock);
        CamExtractor extractor = new CamExtractor(model.net(), model.norm());
        ModelStore.Loaded extraModel = extraBytes == null ? null : ModelStore.load(extraBytes, clock);
        CamExtractor extra = extraModel == null ? null : new CamExtractor(extraModel.net(), extraModel.norm());
        return RowStream.map(it, r -> {
            RgbImage img;
            try (PhaseClock.Lap lap = clock.start("decode")) {
                img = ImageCodec.decodeRgb((byte[]) r.get(5));
            }
            List<Integer> labelList = r.getList(4);
            // an excluded class gets no map from the classifier, which was never trained to find it; an untagged
            // image gets the maps of the classes the classifier predicts
            int[] labels = labelList.stream().mapToInt(Integer::intValue).filter(c -> !excluded.contains(c)).toArray();
            int[] excludedTags = labelList.stream().mapToInt(Integer::intValue).filter(excluded::contains).toArray();
            CamResult cam = labelList.isEmpty() ? extractor.compute(img, labels, scales, flip, threshold, clock)
                    : extractor.computeFor(img, labels, scales, flip, clock);
            if (extra != null && excludedTags.length > 0) {
                cam = withExcludedMaps(cam, extra.computeFor(img, excludedTags, scales, flip, clock));
                excludedTags = new int[0];
            }
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
                    FloatBytes.encode(cam.maps()), ManifestSchema.seq(scores),
                    ManifestSchema.seq(java.util.Arrays.stream(excludedTags).boxed().toList()));
        }, () -> phases.add(clock));
    }

    /**
     * The classifier's CAMs with the excluded classes' maps from their own model appended (brought to the same grid)
     * and those classes' scores taken from it.
     */
    static CamResult withExcludedMaps(CamResult cam, CamResult excludedCam) {
        int n = cam.gridH() * cam.gridW();
        float[] extraMaps = excludedCam.gridH() == cam.gridH() && excludedCam.gridW() == cam.gridW()
                ? excludedCam.maps() : org.wsss.nn.ImageTensors.resizeMaps(excludedCam.maps(),
                excludedCam.classes().length, excludedCam.gridH(), excludedCam.gridW(), cam.gridH(), cam.gridW());
        int[] classes = java.util.stream.IntStream.concat(java.util.Arrays.stream(cam.classes()),
                java.util.Arrays.stream(excludedCam.classes())).toArray();
        float[] maps = java.util.Arrays.copyOf(cam.maps(), classes.length * n);
        System.arraycopy(extraMaps, 0, maps, cam.classes().length * n, extraMaps.length);
        float[] scores = cam.scores().clone();
        for (int c : excludedCam.classes()) {
            scores[c - 1] = excludedCam.scores()[c - 1];
        }
        return new CamResult(classes, cam.gridH(), cam.gridW(), cam.stride(), maps, scores);
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
