package org.wsss.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.wsss.affinity.AffinityNets;
import org.wsss.affinity.RandomWalk;
import org.wsss.affinity.RandomWalkParams;
import org.wsss.cam.FloatBytes;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.crf.CrfParams;
import org.wsss.crf.CrfRefine;
import org.wsss.crf.DenseCrf;
import org.wsss.data.ImageCodec;
import org.wsss.metrics.PhaseClock;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.InputNorm;
import org.wsss.spark.ManifestJoin;
import org.wsss.spark.CamSchema;
import org.wsss.irn.IrnNets;
import org.wsss.irn.IrnWalk;
import org.wsss.spark.LabelMapSchema;
import org.wsss.spark.ModelStore;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.spark.ProgressListener;
import org.wsss.spark.RowStream;
import org.wsss.spark.SmallFiles;
import org.wsss.spark.SerializableHadoopConf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wsss random-walk}: propagates every image's CAMs (with the background row (1 - max CAM)^alpha) by the
 * AffinityNet random walk on the sparse neighbourhood, upsamples to the image and takes the argmax.
 * <pre>
 * labels (Parquet, one row per image): {@link LabelMapSchema#LABELS}
 * png/&lt;ImageIds.fileName(image_id)&gt;.png: the same masks as files (walk.write-png)
 * </pre>
 */
public final class RandomWalkJob implements Stage {
    public static final String NAME = "random-walk";
    static final String DESCRIPTION = "Propagates the CAMs into dense pseudo-labels with the AffinityNet random walk (sparse, no N x N "
            + "matrix) on executors; writes <run-dir>/random-walk/labels (Parquet) and VOC-palette PNGs.";

    public static final StructType SCHEMA = LabelMapSchema.LABELS;

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
        return List.of("walk", "affinity.input-size", "affinity.method", "irn", "crf");
    }

    /** IRNet's walk reads the classifier's levels: the trained classifier is an input too. */
    @Override
    public List<String> inputs(Settings s) {
        return TrainAffinityJob.irn(s) ? List.of(IngestJob.NAME, MakeCamsJob.NAME, TrainAffinityJob.NAME,
                TrainClassifierJob.NAME) : inputs();
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, MakeCamsJob.NAME, TrainAffinityJob.NAME);
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        RandomWalkParams walk = new RandomWalkParams(s.get(Params.Walk.RADIUS), s.get(Params.Walk.BETA),
                s.get(Params.Walk.STEPS), s.get(Params.Walk.THREADS));
        double bgPower = s.get(Params.Walk.BG_POWER);
        Double bgScore = s.get(Params.Walk.BACKGROUND).equals("constant") ? s.get(Params.Walk.BG_SCORE) : null;
        int inputSize = s.get(Params.Affinity.INPUT_SIZE);
        boolean png = s.get(Params.Walk.WRITE_PNG);
        CrfParams crf = s.get(Params.Walk.CRF) ? MakeAffinityLabelsJob.crfParams(s) : null;
        String pngDir = png ? new Path(ctx.stageDir(NAME), "png").toString() : null;
        SerializableHadoopConf conf = new SerializableHadoopConf(ctx.hadoopConf());
        Broadcast<byte[]> model = ctx.jsc().broadcast(ModelStore.readBytes(ctx,
                new Path(ctx.stageDir(TrainAffinityJob.NAME), TrainAffinityJob.MODEL)));

        Dataset<Row> images = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .select("image_id", "split", "image");
        Dataset<Row> cams = CamSchema.withExcluded(ctx.spark().read().parquet(ctx.stagePath(MakeCamsJob.NAME, "cams")))
                .select("image_id", "classes", "grid_height", "grid_width", "cams", "width", "height",
                        CamSchema.EXCLUDED);
        ManifestJoin.Joined join = ManifestJoin.join(ctx.spark(), images, cams);
        Dataset<Row> joined = join.rows();
        long count = join.count();
        PhaseAccumulator phases = PhaseAccumulator.register(ctx.spark().sparkContext(), NAME);
        Broadcast<byte[]> classifier = TrainAffinityJob.irn(s) ? ctx.jsc().broadcast(ModelStore.readBytes(ctx,
                new Path(ctx.stageDir(TrainClassifierJob.NAME), TrainClassifierJob.MODEL))) : null;
        IrnWalk irnWalk = new IrnWalk(s.get(Params.Irn.WALK_RADIUS), s.get(Params.Irn.BETA), s.get(Params.Irn.STEPS),
                s.get(Params.Irn.BG_SCORE), s.get(Params.Walk.THREADS));
        List<String> taps = IrnNets.taps(s.get(Params.Classifier.NETWORK));
        JavaRDD<Row> rows = joined.javaRDD().mapPartitions(it -> classifier != null
                ? irnPartition(it, model.value(), classifier.value(), taps, irnWalk, inputSize, crf, pngDir, conf,
                phases)
                : walkPartition(it, model.value(), walk, bgPower, bgScore, inputSize, crf, pngDir, conf, phases));
        long t0 = System.nanoTime();
        ProgressListener progress = ProgressListener.start(ctx.spark().sparkContext(), NAME,
                rows.getNumPartitions(), count, s.get(Params.Runtime.PROGRESS_SECONDS));
        try (progress) {
            ctx.spark().createDataFrame(rows, SCHEMA).write().parquet(ctx.stagePath(NAME, "labels"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        model.destroy();
        if (classifier != null) {
            classifier.destroy();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", s.get(Params.Affinity.METHOD));
        m.put("num_images", count);
        m.put("images_per_second", count / Math.max(seconds, 1e-9));
        m.put("beta", classifier != null ? irnWalk.beta() : walk.beta());
        m.put("steps", classifier != null ? irnWalk.steps() : walk.steps());
        m.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return m;
    }

    /** One image's labels from its decoded image, its CAM classes, maps and grid. */
    private interface Labeller {
        byte[] labels(RgbImage img, int[] classes, float[] cams, int gh, int gw);
    }

    /**
     * The rows of one partition: each image and its CAMs decoded, labelled, its background made ignore when tagged
     * with an excluded class, encoded as a palette PNG (and written as a file when pngDir is set).
     */
    private static Iterator<Row> labelRows(Iterator<Row> it, Labeller labeller, PhaseClock clock, String pngDir,
                                           SerializableHadoopConf conf, PhaseAccumulator phases) throws Exception {
        FileSystem fs = pngDir == null ? null : new Path(pngDir).getFileSystem(conf.get());
        return RowStream.map(it, r -> {
            String id = r.getString(0);
            RgbImage img;
            float[] camMaps;
            try (PhaseClock.Lap lap = clock.start("decode")) {
                img = ImageCodec.decodeRgb((byte[]) r.get(2));
                camMaps = FloatBytes.decode((byte[]) r.get(6));
            }
            int[] classes = r.<Integer>getList(3).stream().mapToInt(Integer::intValue).toArray();
            byte[] labels = CamSchema.ignoreBackgroundIfExcluded(
                    labeller.labels(img, classes, camMaps, r.getInt(4), r.getInt(5)), r.getList(9));
            byte[] mask;
            try (PhaseClock.Lap lap = clock.start("png")) {
                mask = ImageCodec.encodePaletteMask(new LabelMask(img.width(), img.height(), labels));
                if (fs != null) {
                    SmallFiles.write(fs, new Path(pngDir, LabelMapSchema.pngName(id)), mask);
                }
            }
            return RowFactory.create(id, r.getString(1), img.width(), img.height(), mask);
        }, () -> phases.add(clock));
    }

    private static Iterator<Row> walkPartition(Iterator<Row> it, byte[] modelBytes, RandomWalkParams walk,
                                               double bgPower, Double bgScore, int inputSize, CrfParams crf,
                                               String pngDir,
                                               SerializableHadoopConf conf, PhaseAccumulator phases)
            throws Exception {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        PhaseClock clock = new PhaseClock();
        ModelStore.Loaded model = ModelStore.load(modelBytes, clock);
        return labelRows(it, (img, classes, cams, gh, gw) -> pseudoLabel(model.net(), model.norm(), img, classes,
                cams, gh, gw, walk, bgPower, bgScore, inputSize, crf == null ? null : new DenseCrf(crf), clock),
                clock, pngDir, conf, phases);
    }

    /** IRNet's walk over one partition: the classifier's levels, the boundary map, then {@link IrnWalk}. */
    private static Iterator<Row> irnPartition(Iterator<Row> it, byte[] irnBytes, byte[] classifierBytes,
                                              List<String> taps, IrnWalk irnWalk, int inputSize, CrfParams crf,
                                              String pngDir, SerializableHadoopConf conf, PhaseAccumulator phases)
            throws Exception {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        PhaseClock clock = new PhaseClock();
        ModelStore.Loaded irn = ModelStore.load(irnBytes, clock);
        ComputationGraph classifier = ModelStore.load(classifierBytes, clock).net();
        return labelRows(it, (img, classes, camMaps, gh, gw) -> {
            if (classes.length == 0) {
                return new byte[img.width() * img.height()];
            }
            IrnNets.Maps maps;
            try (PhaseClock.Lap lap = clock.start("network")) {
                maps = boundary(classifier, irn.net(), taps, irn.norm(), img, inputSize);
            }
            float[] scores;
            try (PhaseClock.Lap lap = clock.start("walk")) {
                float[] onGrid = ImageTensors.resizeMaps(camMaps, classes.length, gh, gw, maps.height(),
                        maps.width());
                scores = irnWalk.scores(maps.boundary(), maps.height(), maps.width(), onGrid, classes.length,
                        img.height(), img.width());
            }
            if (crf == null) {
                return RandomWalk.argmaxLabels(scores, classes.length + 1, img.height(), img.width(), classes);
            }
            try (PhaseClock.Lap lap = clock.start("crf")) {
                return CrfRefine.labels(new DenseCrf(crf), img, scores, classes.length + 1, classes);
            }
        }, clock, pngDir, conf, phases);
    }

    /**
     * IRNet's maps of one image resized to the input size: the boundary the mean of the image's and its mirror's
     * (mirrored back), as irn predicts it; the displacement field the image's own.
     */
    static IrnNets.Maps boundary(ComputationGraph classifier, ComputationGraph irn, List<String> taps, InputNorm norm,
                                 RgbImage img, int inputSize) {
        RgbImage resized = ImageTensors.resize(img, inputSize, inputSize);
        IrnNets.Maps plain = IrnNets.maps(irn, IrnNets.levels(classifier, taps, norm.toInput(resized)));
        IrnNets.Maps mirror = IrnNets.maps(irn, IrnNets.levels(classifier, taps,
                norm.toInput(ImageTensors.flipHorizontal(resized))));
        float[] back = ImageTensors.flipMapsHorizontal(mirror.boundary(), 1, mirror.height(), mirror.width());
        float[] mean = new float[back.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (plain.boundary()[i] + back[i]) / 2;
        }
        return new IrnNets.Maps(mean, plain.displacement(), plain.height(), plain.width());
    }

    /**
     * One image: AffinityNet features on the resized image, the CAMs brought to the feature grid, the walk
     * (with the background row in front, or, given {@code bgScore}, the class maps alone, max-normalised
     * afterwards with that constant background), then bilinear upsampling to the image and the argmax; its phases
     * timed on {@code clock} (null: untimed).
     */
    static byte[] pseudoLabel(ComputationGraph net, InputNorm norm, RgbImage img, int[] classes, float[] cams, int gh,
                              int gw, RandomWalkParams walk, double bgPower, Double bgScore, int inputSize,
                              DenseCrf crf, PhaseClock clock) {
        int n = img.width() * img.height();
        if (classes.length == 0) {
            return new byte[n];
        }
        org.nd4j.linalg.api.ndarray.INDArray input;
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "resize")) {
            input = norm.toInput(ImageTensors.resize(img, inputSize, inputSize));
        }
        AffinityNets.FeatureMap feats;
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "network")) {
            feats = AffinityNets.features(net, input);
        }
        int d = feats.depth(), fh = feats.height(), fw = feats.width();
        float[] f = feats.values();
        float[] walked;
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "walk")) {
            float[] onGrid = ImageTensors.resizeMaps(cams, classes.length, gh, gw, fh, fw);
            walked = bgScore == null
                    ? RandomWalk.propagate(RandomWalk.withBackground(onGrid, classes.length, fh, fw, bgPower),
                    classes.length + 1, f, d, fh, fw, walk)
                    : RandomWalk.withConstantBackground(RandomWalk.propagate(onGrid, classes.length, f, d, fh, fw,
                    walk), classes.length, fh, fw, bgScore);
        }
        float[] up;
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "upsample")) {
            up = ImageTensors.resizeMaps(walked, classes.length + 1, fh, fw, img.height(), img.width());
        }
        if (crf == null) {
            try (PhaseClock.Lap lap = PhaseClock.start(clock, "argmax")) {
                return RandomWalk.argmaxLabels(up, classes.length + 1, img.height(), img.width(), classes);
            }
        }
        try (PhaseClock.Lap lap = PhaseClock.start(clock, "crf")) {
            return CrfRefine.labels(crf, img, up, classes.length + 1, classes);
        }
    }
}
