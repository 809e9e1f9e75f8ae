package org.wsss.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.wsss.affinity.AffinityLabelParams;
import org.wsss.affinity.AffinityLabels;
import org.wsss.affinity.LabelCoverage;
import org.wsss.cam.FloatBytes;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.crf.CrfParams;
import org.wsss.crf.CrfRefine;
import org.wsss.crf.DenseCrf;
import org.wsss.data.ImageCodec;
import org.wsss.metrics.PhaseClock;
import org.wsss.spark.CamSchema;
import org.wsss.spark.ManifestJoin;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.spark.ProgressListener;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wsss make-affinity-labels}: confident foreground/background regions mined from the CAMs on
 * AffinityNet's grid, ceil(image side / affinity.output-stride) (psa's two background powers or irn's two
 * constant scores); 255 where uncertain. CAMs on a coarser grid are upsampled bilinearly to it first.
 * <pre>
 * labels (Parquet, one row per image): image_id string, split string, grid_height int, grid_width int,
 *   labels binary (uint8, grid_height*grid_width, row-major: 0 background, 1..C class, 255 ignore),
 *   min_score float (lowest classifier score among the image's CAM classes; train-affinity can filter on it)
 * </pre>
 */
public final class MakeAffinityLabelsJob implements Stage {
    public static final String NAME = "make-affinity-labels";
    static final String DESCRIPTION = "Mines confident foreground/background regions from the CAMs (psa's two background powers or irn's "
            + "constant scores) at the feature stride; writes <run-dir>/make-affinity-labels/labels (Parquet).";
    private static final Logger LOG = LoggerFactory.getLogger(MakeAffinityLabelsJob.class);

    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("split", DataTypes.StringType, false),
            DataTypes.createStructField("grid_height", DataTypes.IntegerType, false),
            DataTypes.createStructField("grid_width", DataTypes.IntegerType, false),
            DataTypes.createStructField("labels", DataTypes.BinaryType, false),
            DataTypes.createStructField("min_score", DataTypes.FloatType, false)});

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
        return List.of("affinity.label-mode", "affinity.fg-power", "affinity.bg-power", "affinity.fg-threshold",
                "affinity.bg-threshold", "affinity.crf", "affinity.output-stride", "affinity.max-missing-class-fraction",
                "crf");
    }

    @Override
    public List<String> inputs() {
        return List.of(MakeCamsJob.NAME, IngestJob.NAME);
    }

    /** The CRF reads the images from ingest's manifest, so ingest's commit is checked too; without it, CAMs only. */
    @Override
    public List<String> inputs(Settings settings) {
        return settings.get(Params.Affinity.CRF) ? inputs() : List.of(MakeCamsJob.NAME);
    }

    static AffinityLabelParams params(Settings s) {
        return s.get(Params.Affinity.LABEL_MODE).equals("irn")
                ? new AffinityLabelParams(AffinityLabelParams.Mode.IRN, s.get(Params.Affinity.FG_THRESHOLD),
                s.get(Params.Affinity.BG_THRESHOLD))
                : new AffinityLabelParams(AffinityLabelParams.Mode.PSA, s.get(Params.Affinity.FG_POWER),
                s.get(Params.Affinity.BG_POWER));
    }

    /** Cells along an image side on AffinityNet's grid: its 'same'-padded strided layers round up. */
    static int gridSide(int pixels, int stride) {
        return (pixels + stride - 1) / stride;
    }

    /** The crf.* keys as the kernel's parameters. */
    public static CrfParams crfParams(Settings s) {
        return new CrfParams(s.get(Params.Crf.GAUSSIAN_SXY), s.get(Params.Crf.GAUSSIAN_WEIGHT),
                s.get(Params.Crf.BILATERAL_SXY), s.get(Params.Crf.BILATERAL_SRGB), s.get(Params.Crf.BILATERAL_WEIGHT),
                s.get(Params.Crf.ITERATIONS), CrfParams.DEFAULTS.probFloor());
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        AffinityLabelParams p = params(ctx.settings());
        CrfParams crf = ctx.settings().get(Params.Affinity.CRF) ? crfParams(ctx.settings()) : null;
        int stride = ctx.settings().get(Params.Affinity.OUTPUT_STRIDE);
        org.apache.spark.sql.Dataset<Row> cams = CamSchema.withExcluded(ctx.spark().read().parquet(
                ctx.stagePath(MakeCamsJob.NAME, "cams"))).select("image_id", "split", "grid_height", "grid_width",
                "classes", "cams", "scores", "width", "height", CamSchema.EXCLUDED);
        // the CRF needs the images; without it the CAMs alone are enough
        org.apache.spark.sql.Dataset<Row> input = crf == null ? cams.withColumn("image", functions.lit(null))
                : ManifestJoin.join(ctx.spark(), ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .select("image_id", "image"), cams).rows();
        PhaseAccumulator phases = PhaseAccumulator.register(ctx.spark().sparkContext(), NAME);
        JavaRDD<Row> rows = input.select("image_id", "split", "grid_height", "grid_width", "classes", "cams",
                        "scores", "image", "width", "height", CamSchema.EXCLUDED).javaRDD()
                .map(r -> {
                    PhaseClock clock = new PhaseClock();
                    List<Integer> cl = r.getList(4);
                    int[] classes = cl.stream().mapToInt(Integer::intValue).toArray();
                    int camH = r.getInt(2), camW = r.getInt(3);
                    int gh = gridSide(r.getInt(9), stride), gw = gridSide(r.getInt(8), stride);
                    float[] camMaps;
                    try (PhaseClock.Lap lap = clock.start("decode")) {
                        camMaps = FloatBytes.decode((byte[]) r.get(5));
                    }
                    byte[] labels;
                    if (crf == null || classes.length == 0) {
                        try (PhaseClock.Lap lap = clock.start("labels")) {
                            float[] onGrid = ImageTensors.resizeMaps(camMaps, classes.length, camH, camW, gh, gw);
                            labels = AffinityLabels.fromCams(onGrid, classes, gh, gw, p);
                        }
                    } else {
                        RgbImage img;
                        try (PhaseClock.Lap lap = clock.start("decode")) {
                            img = ImageCodec.decodeRgb((byte[]) r.get(7));
                        }
                        float[] up;
                        try (PhaseClock.Lap lap = clock.start("upsample")) {
                            up = ImageTensors.resizeMaps(camMaps, classes.length, camH, camW, img.height(),
                                    img.width());
                        }
                        try (PhaseClock.Lap lap = clock.start("crf")) {
                            byte[] full = CrfRefine.affinityLabels(new DenseCrf(crf), img, up, classes, p);
                            labels = LabelMask.resizeNearest(full, img.height(), img.width(), gh, gw);
                        }
                    }
                    labels = CamSchema.ignoreBackgroundIfExcluded(labels, r.getList(10));
                    phases.add(clock);
                    List<Float> scores = r.getList(6);
                    float min = 1f;
                    for (int c : classes) {
                        min = Math.min(min, scores.get(c - 1));
                    }
                    return RowFactory.create(r.getString(0), r.getString(1), gh, gw, labels, classes.length == 0 ? 0f : min);
                });
        ProgressListener progress = ProgressListener.start(ctx.spark().sparkContext(), NAME, rows.getNumPartitions(),
                -1, ctx.settings().get(Params.Runtime.PROGRESS_SECONDS));
        try (progress) {
            ctx.spark().createDataFrame(rows, SCHEMA).write().parquet(ctx.stagePath(NAME, "labels"));
        }

        org.apache.spark.sql.Dataset<Row> written = ctx.spark().read().parquet(ctx.stagePath(NAME, "labels"));
        // one pass: cell counts and, against each image's tags, the tags that kept no confident cell
        Tally tally = written.select("image_id", "labels").join(cams.select("image_id", "classes"), "image_id")
                .select("labels", "classes").javaRDD()
                .map(r -> {
                    byte[] labels = (byte[]) r.get(0);
                    long[] c = new long[3];
                    for (byte b : labels) {
                        int v = b & 0xff;
                        c[v == 0 ? 0 : v == AffinityLabels.IGNORE ? 2 : 1]++;
                    }
                    List<Integer> cl = r.getList(1);
                    return new Tally(c, 1, LabelCoverage.of(labels, cl.stream().mapToInt(Integer::intValue).toArray()));
                }).fold(Tally.ZERO, Tally::plus);
        long[] counts = tally.cells();
        double total = Math.max(1, counts[0] + counts[1] + counts[2]);
        double maxMissing = ctx.settings().get(Params.Affinity.MAX_MISSING_CLASS_FRACTION);
        if (tally.coverage().collapsed(maxMissing)) {
            LOG.warn("{}: {}", NAME, tally.coverage().message(maxMissing));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_images", tally.images());
        m.put("confident_background_fraction", counts[0] / total);
        m.put("confident_foreground_fraction", counts[1] / total);
        m.put("ignored_fraction", counts[2] / total);
        m.put("label_coverage", tally.coverage().toMap(maxMissing));
        m.put("mode", p.mode().name().toLowerCase());
        m.put("crf", crf != null);
        m.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return m;
    }

    /** Cell counts (background, class, ignored), images and tag coverage, summed over the labels table. */
    record Tally(long[] cells, long images, LabelCoverage coverage) implements java.io.Serializable {
        static final Tally ZERO = new Tally(new long[3], 0, LabelCoverage.NONE);

        Tally plus(Tally o) {
            return new Tally(new long[]{cells[0] + o.cells[0], cells[1] + o.cells[1], cells[2] + o.cells[2]},
                    images + o.images, coverage.plus(o.coverage));
        }
    }
}
