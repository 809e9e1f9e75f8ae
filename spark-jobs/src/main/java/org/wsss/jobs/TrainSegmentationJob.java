package org.wsss.jobs;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Param;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ClassList;
import org.wsss.data.BoxLabels;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.Point;
import org.wsss.data.RgbImage;
import org.wsss.metrics.ConfusionMatrix;
import org.wsss.metrics.SegmentationMetrics;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.FineTuning;
import org.wsss.nn.InputNorm;
import org.wsss.nn.ModelZip;
import org.wsss.nn.PretrainedInit;
import org.wsss.nn.TrainingHyper;
import org.wsss.seg.PointSampler;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegPredictor;
import org.wsss.seg.SegTargets;
import org.wsss.seg.SoftmaxMethod;
import org.wsss.seg.TrainingMethod;
import org.wsss.segsort.PixelSorting;
import org.wsss.segsort.SegSortMethod;
import org.wsss.segsort.SpmlLoss;
import org.wsss.segsort.SpmlMethod;
import org.wsss.segsort.SpmlTerms;
import org.wsss.segsort.Superpixels;
import org.wsss.spark.ManifestJoin;
import org.wsss.spark.ManifestSchema;
import org.wsss.spark.ModelStore;
import org.wsss.spark.RowStream;
import org.wsss.spark.PretrainedWeights;
import org.wsss.spark.train.AveragingTrainer;
import org.wsss.spark.train.EpochLoop;
import org.wsss.spark.train.EpochOrder;
import org.wsss.spark.train.PolySchedule;
import org.wsss.train.EpochPlan;
import org.wsss.spark.train.RoundProgress;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * {@code wsss train-segmentation}: the segmentation net ({@link SegNets}) trained with synchronous parameter
 * averaging on random-walk's pseudo-labels, on points (PDML) or on both ({@code train.supervision}); checkpoints
 * per epoch and resume as the other training stages. {@code model.zip} is the last epoch's net, or with
 * {@code train.select = holdout} the epoch with the best mIoU on a held-out slice of the train split scored against
 * its own training targets (the train split has no ground truth in weakly supervised use). The val split's mIoU is
 * recorded per epoch as a report and never chooses anything: evaluate reports that split.
 */
public final class TrainSegmentationJob implements Stage {
    static final String INIT_PRETRAINED = "pretrained";
    private static final Logger LOG = LoggerFactory.getLogger(TrainSegmentationJob.class);
    public static final String NAME = "train-segmentation";
    static final String DESCRIPTION = "Trains the segmentation net on pseudo-labels (pixel cross-entropy, 255 ignored), on points (PDML: "
            + "point cross-entropy, cross-image triplet loss, online extension) or both (train.supervision), "
            + "with synchronous parameter averaging; checkpoints per epoch, resumable; the last epoch's net (or with "
            + "train.select = holdout the best on a held-out slice of the train split) is "
            + "<run-dir>/train-segmentation/model.zip.";
    public static final String MODEL = EpochLoop.MODEL;

    static final String PSEUDO = "pseudo-labels";
    /** The same as {@link #PSEUDO}: the labels made from the image tags by stages 1-2. */
    static final String TAGS = "tags";
    static final String POINTS = "points";
    static final String BOTH = "both";
    static final String MASKS = "masks";
    static final String UNSUPERVISED = "unsupervised";
    static final String BOXES = "boxes";
    static final String SCRIBBLES = "scribbles";
    static final String SELECT_HOLDOUT = "holdout";

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
        return List.of("train", "segsort", "spml");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, TrainClassifierJob.NAME, RandomWalkJob.NAME);
    }

    /** Points alone need no pseudo-labels, and a scratch or file initialisation no classifier. */
    @Override
    public List<String> inputs(Settings s) {
        List<String> in = new ArrayList<>(List.of(IngestJob.NAME));
        if (s.get(Params.Train.INIT).equals("classifier")) {
            in.add(TrainClassifierJob.NAME);
        }
        if (readsWalk(s.get(Params.Train.SUPERVISION))) {
            in.add(RandomWalkJob.NAME);
        }
        return in;
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public void validate(Settings s) {
        String supervision = s.get(Params.Train.SUPERVISION);
        int batch = s.get(Params.Train.BATCH_SIZE);
        if (usesPoints(supervision) && s.get(Params.Train.TRIPLET) && method(s).scoresClasses() && batch < 2) {
            throw new IllegalStateException("train.supervision = " + supervision + " with train.triplet = true needs "
                    + "train.batch-size >= 2 (triplets pair points of different images of a minibatch), got " + batch);
        }
        requireNetworkShape(s);
        if (supervision.equals(UNSUPERVISED) && !s.get(Params.Train.METHOD).equals(SegSortMethod.NAME)) {
            throw new IllegalStateException("train.supervision = " + UNSUPERVISED + " needs train.method = "
                    + SegSortMethod.NAME + " (a softmax net has no labels to learn from then), got train.method = "
                    + s.get(Params.Train.METHOD));
        }
        if (!s.get(Params.Spml.PRESET).equals("keys")) {
            for (Param<Double> key : Params.Spml.TERM_KEYS) {
                if (!s.get(key).equals(key.defaultValue())) {
                    throw new IllegalStateException(key.key() + " = " + s.get(key) + " is read only with spml.preset = "
                            + "keys, but spml.preset = " + s.get(Params.Spml.PRESET));
                }
            }
        }
        if (!method(s).scoresClasses()) {
            if (s.get(Params.Train.SELECT).equals(SELECT_HOLDOUT)) {
                throw new IllegalStateException("train.method = " + s.get(Params.Train.METHOD) + " trains no class "
                        + "scores to choose an epoch by: it needs train.select = last, got " + SELECT_HOLDOUT);
            }
        }
        boolean fromPretrained = s.get(Params.Train.INIT).equals(INIT_PRETRAINED);
        if (fromPretrained == s.get(Params.Train.PRETRAINED).isBlank()) {
            throw new IllegalStateException(fromPretrained
                    ? "train.init = pretrained needs a weights file: set train.pretrained"
                    : "train.pretrained = " + s.get(Params.Train.PRETRAINED) + " is used only with train.init = "
                    + "pretrained, but train.init = " + s.get(Params.Train.INIT));
        }
        if (s.get(Params.Train.INIT).equals("classifier")) {
            String network = s.get(Params.Train.NETWORK);
            boolean deeplab = network.equals("deeplab");
            String classifier = s.get(Params.Classifier.NETWORK);
            if (deeplab ? !ClassifierNets.RESNETS.contains(classifier) : !classifier.equals("small")) {
                String backbone = deeplab ? "resnet50, resnet101 or resnet50-zoo" : "small";
                throw new IllegalStateException("train.init = classifier copies the classifier's backbone: train.network "
                        + "= " + network + " needs classifier.network = " + backbone + ", got classifier.network = "
                        + classifier + "; set classifier.network = " + (deeplab ? "resnet50" : "small")
                        + " or train.init = scratch");
            }
        }
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        String supervision = s.get(Params.Train.SUPERVISION);
        boolean usePoints = usesPoints(supervision);
        TrainingMethod method = method(s).forClasses(IngestJob.classes(ctx).size());
        // PDML's triplet loss and extension live on the class scores' method (segsort's loss owns the embedding)
        boolean triplet = usePoints && s.get(Params.Train.TRIPLET) && method.scoresClasses();
        boolean extension = supervision.equals(POINTS) && s.get(Params.Train.EXTENSION) && method.scoresClasses();
        int batch = s.get(Params.Train.BATCH_SIZE);
        ClassList classes = IngestJob.classes(ctx);
        List<String> labelNames = new ArrayList<>();
        labelNames.add(ClassList.BACKGROUND);
        labelNames.addAll(classes.names());

        boolean holdoutSelect = s.get(Params.Train.SELECT).equals(SELECT_HOLDOUT);
        double holdoutFraction = holdoutSelect ? s.get(Params.Train.HOLDOUT_FRACTION) : 0.0;
        JavaRDD<TrainingImage> candidates = trainingImages(ctx, s, supervision);
        JavaRDD<TrainingImage> items = candidates.filter(t -> !EpochPlan.isHoldout(t.imageId(), holdoutFraction))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<ScoreItem> held = candidates.filter(t -> EpochPlan.isHoldout(t.imageId(), holdoutFraction))
                .map(t -> new ScoreItem(t.imageId(), t.image(), t.pseudoLabel(), t.points()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        long heldCount = holdoutSelect ? held.count() : 0;
        List<String> ids = new ArrayList<>(items.map(TrainingImage::imageId).collect());
        Collections.sort(ids);
        if (ids.isEmpty()) {
            throw new IllegalStateException("train-segmentation: no training images with " + supervision
                    + (usePoints ? " (no image of the train split has points; set dataset.points, or "
                    + "train.points-source = gt-sample when the train split has masks)" : ""));
        }
        if (holdoutSelect && heldCount == 0) {
            throw new IllegalStateException("train.select = holdout: none of the " + ids.size() + " training images "
                    + "falls in train.holdout-fraction = " + holdoutFraction + "; raise it or set train.select = last");
        }
        long numPoints = usePoints ? items.map(t -> (long) t.points().length / 3).reduce(Long::sum) : 0;
        if (supervision.equals(POINTS) && items.filter(TrainSegmentationJob::hasBackgroundPoint).isEmpty()) {
            LOG.warn("{}: none of the {} training points is a background click (class 0): a net trained on points "
                    + "alone then never learns background. Add background clicks to dataset.points (class "
                    + "\"background\"), or use train.points-source = gt-sample on data with masks.", NAME, numPoints);
        }
        JavaRDD<ScoreItem> val = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .filter(col("split").equalTo("val")).filter(col("mask").isNotNull())
                .select("image_id", "image", "mask").javaRDD()
                .map(r -> new ScoreItem(r.getString(0), (byte[]) r.get(1), (byte[]) r.get(2), new int[0]))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        long valCount = val.count();
        // a method without class scores (segsort) is scored by retrieval, after make-prototypes: evaluate
        boolean reportVal = valCount > 0 && method.scoresClasses();
        LOG.info("{}: {} training images ({}), {} held out to choose the epoch, {} points, {} val images with ground "
                + "truth (reported, never used to choose)", NAME, ids.size(), supervision, heldCount, numPoints, valCount);

        int workers = AveragingTrainer.workers(s.get(Params.Train.WORKERS), ctx.jsc());
        int avgFreq = s.get(Params.Train.AVERAGING_FREQUENCY);
        int epochs = s.get(Params.Train.EPOCHS);
        int inputSize = s.get(Params.Train.INPUT_SIZE);
        long seed = s.get(Params.Train.SEED);
        double extThreshold = s.get(Params.Train.EXTENSION_THRESHOLD);
        int extWindow = s.get(Params.Train.EXTENSION_WINDOW);
        List<Double> randomScale = s.get(Params.Train.RANDOM_SCALE);

        EpochLoop loop = holdoutSelect ? new EpochLoop(ctx, NAME, "holdout_miou", true) : EpochLoop.last(ctx, NAME);
        ComputationGraph initial = loop.startFrom(() -> newNetwork(ctx, s, classes.size()));
        InputNorm norm = loop.inputNorm();
        int stride = SegNets.outputStride(initial);
        AveragingTrainer trainer = new AveragingTrainer(ctx.jsc(), initial, workers, batch, avgFreq);
        PolySchedule schedule = PolySchedule.uniform(trainer, ids.size(), epochs,
                s.get(Params.Train.LEARNING_RATE), s.get(Params.Train.POLY_POWER));

        List<Map<String, Object>> history = loop.run(epochs, trainer::network, epoch -> {
            long t0 = System.nanoTime();
            JavaRDD<TrainingImage> epochItems = items;
            // the net as the epoch starts; kept until the extended items are dropped, as a lost partition recomputes
            Broadcast<byte[]> extensionNet = null;
            if (extension && epoch > 0) {
                extensionNet = ctx.jsc().broadcast(ModelZip.toBytes(trainer.network(), false, norm));
                epochItems = withExtension(extensionNet, items, inputSize, extThreshold, extWindow)
                        .persist(StorageLevel.MEMORY_AND_DISK_SER());
            }
            Broadcast<Map<String, Long>> bPos = ctx.jsc().broadcast(EpochOrder.shuffledPositions(ids, seed, epoch));
            JavaPairRDD<Long, TrainingImage> keyed = epochItems.mapToPair(
                    it -> new Tuple2<>(bPos.value().get(it.imageId()), it));
            SegExampleMaker maker = new SegExampleMaker(inputSize, stride, triplet, randomScale.get(0),
                    randomScale.get(1), seed, epoch, norm, method);
            double loss = trainer.fitEpochMulti(keyed, ids.size(), maker::make,
                    schedule.epoch(epoch),
                    new RoundProgress(NAME, epoch, ids.size(), s.get(Params.Runtime.PROGRESS_SECONDS)));
            bPos.destroy();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("train_loss", loss);
            row.put("last_learning_rate", schedule.lastRate(epoch));
            if (extensionNet != null) {
                row.put("extended_pixels_per_image", epochItems.map(t -> (double) countLabelled(t.extension()))
                        .reduce(Double::sum) / ids.size());
                epochItems.unpersist(false);
                extensionNet.destroy();
            }
            if (holdoutSelect) {
                SegmentationMetrics h = score(ctx, trainer.network(), norm, held, labelNames, inputSize, heldCount);
                row.put("holdout_miou", h.miou());
                row.put("holdout_pixel_accuracy", h.pixelAccuracy());
            }
            if (reportVal) {
                SegmentationMetrics v = score(ctx, trainer.network(), norm, val, labelNames, inputSize, valCount);
                row.put("val_miou", v.miou());
                row.put("val_pixel_accuracy", v.pixelAccuracy());
            }
            row.put("examples", ids.size());
            row.put("samples_per_second", ids.size() / ((System.nanoTime() - t0) / 1e9));
            return row;
        });
        items.unpersist();
        held.unpersist();
        val.unpersist();

        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> selected = loop.bestRow();
        m.put("method", method.name());
        m.put("supervision", supervision);
        m.put("selected_by", holdoutSelect ? "holdout:train" : "last");
        m.put("selection_split", holdoutSelect ? "train (held-out slice, not trained on)" : "none");
        m.put("selected_epoch", loop.bestEpoch());
        if (holdoutSelect) {
            m.put("holdout_miou", selected.get("holdout_miou"));
            m.put("holdout_pixel_accuracy", selected.get("holdout_pixel_accuracy"));
        }
        if (reportVal) {
            m.put("val_miou", selected.get("val_miou"));
            m.put("val_pixel_accuracy", selected.get("val_pixel_accuracy"));
            m.put("val_note", "val_miou is the selected epoch's single-scale val mIoU, reported only: the val split "
                    + "chose nothing");
        }
        m.put("train_loss", selected.get("train_loss"));
        m.put("num_images", ids.size());
        m.put("num_holdout_images", heldCount);
        m.put("num_points", numPoints);
        m.put("num_val_images", valCount);
        m.put("workers", workers);
        m.put("samples_per_second", history.stream()
                .mapToDouble(h -> ((Number) h.get("samples_per_second")).doubleValue()).average().orElse(0));
        m.putAll(loop.timeSplit(trainer.phases()));
        m.put("epochs", history);
        return m;
    }

    /** The backbone's output stride for train.network and train.output-stride (DeepLab v3+ decodes from 16). */
    static int backboneStride(Settings s) {
        int outputStride = s.get(Params.Train.OUTPUT_STRIDE);
        if (s.get(Params.Train.NETWORK).equals("deeplab")) {
            return outputStride == 4 ? 16 : outputStride;
        }
        if (outputStride == 16) {
            throw new IllegalStateException("train.output-stride = 16 needs train.network = deeplab; the small net "
                    + "has output stride 8, or 4 with its decoder");
        }
        return 8;
    }

    /** DeepLab's ResNet: the classifier's when that is a ResNet (so train.init = classifier can copy it), else resnet50. */
    static String deeplabBackbone(Settings s) {
        String classifier = s.get(Params.Classifier.NETWORK);
        return ClassifierNets.RESNETS.contains(classifier) ? classifier : "resnet50";
    }

    /** Fails before any data is read when the network cannot take train.input-size crops. */
    static void requireNetworkShape(Settings s) {
        int multiple = backboneStride(s);
        int inputSize = s.get(Params.Train.INPUT_SIZE);
        if (inputSize % multiple != 0) {
            throw new IllegalStateException("train.input-size = " + inputSize + " is not a multiple of " + multiple
                    + ", the backbone stride of train.network = " + s.get(Params.Train.NETWORK)
                    + " at train.output-stride = " + s.get(Params.Train.OUTPUT_STRIDE));
        }
    }

    static TrainingHyper hyper(Settings s) {
        return new TrainingHyper(s.get(Params.Train.OPTIMIZER), s.get(Params.Train.LEARNING_RATE),
                s.get(Params.Train.MOMENTUM), s.get(Params.Train.WEIGHT_DECAY), s.get(Params.Train.HEAD_LR_MULTIPLIER));
    }

    /** Whether train.supervision trains on random-walk's pseudo-labels. */
    static boolean readsWalk(String supervision) {
        return supervision.equals(PSEUDO) || supervision.equals(TAGS) || supervision.equals(BOTH);
    }

    /** Whether train.supervision labels only some pixels, each SegSort cluster then taking its labelled pixels' class. */
    static boolean sparse(String supervision) {
        return supervision.equals(POINTS) || supervision.equals(SCRIBBLES);
    }

    /** Whether train.supervision trains on points. */
    static boolean usesPoints(String supervision) {
        return supervision.equals(POINTS) || supervision.equals(BOTH);
    }

    /** The training method train.method names, with its settings. */
    static TrainingMethod method(Settings s) {
        if (s.get(Params.Train.METHOD).equals(SpmlMethod.NAME)) {
            return new SpmlMethod(spmlTerms(s), new PixelSorting.Params(s.get(Params.SegSort.GRID_SIDE), s.get(Params.SegSort.KMEANS_ITERATIONS)),
                    s.get(Params.SegSort.MEMORY_BANKS), superpixels(s), 0);
        }
        if (s.get(Params.Train.METHOD).equals(SegSortMethod.NAME)) {
            String supervision = s.get(Params.Train.SUPERVISION);
            return new SegSortMethod(s.get(Params.SegSort.CONCENTRATION), new PixelSorting.Params(
                    s.get(Params.SegSort.GRID_SIDE), s.get(Params.SegSort.KMEANS_ITERATIONS)),
                    s.get(Params.SegSort.MEMORY_BANKS), sparse(supervision),
                    supervision.equals(UNSUPERVISED) ? superpixels(s) : null);
        }
        return new SoftmaxMethod(s.get(Params.Train.TRIPLET_MARGIN), s.get(Params.Train.TRIPLET_ALPHA),
                s.get(Params.Train.TRIPLET_BETA));
    }

    /** SPML's terms as spml.preset says: the public code's for a label form, or the spml.* term keys. */
    static SpmlTerms spmlTerms(Settings s) {
        String preset = s.get(Params.Spml.PRESET);
        if (preset.equals("keys")) {
            return new SpmlTerms(
                    new SpmlLoss.Term(s.get(Params.Spml.ANNOTATION_CONCENTRATION), s.get(Params.Spml.ANNOTATION_WEIGHT)),
                    new SpmlLoss.Term(s.get(Params.Spml.COOCCURRENCE_CONCENTRATION),
                            s.get(Params.Spml.COOCCURRENCE_WEIGHT)),
                    new SpmlLoss.Term(s.get(Params.Spml.SIMILARITY_CONCENTRATION), s.get(Params.Spml.SIMILARITY_WEIGHT)),
                    new SpmlLoss.Term(s.get(Params.Spml.AFFINITY_CONCENTRATION), s.get(Params.Spml.AFFINITY_WEIGHT)),
                    s.get(Params.Spml.AFFINITY_THRESHOLD));
        }
        if (!preset.equals("by-supervision")) {
            return SpmlTerms.published(preset);
        }
        String supervision = s.get(Params.Train.SUPERVISION);
        return SpmlTerms.published(supervision.equals(POINTS) || supervision.equals(SCRIBBLES) ? supervision : TAGS);
    }

    static Superpixels.Params superpixels(Settings s) {
        return new Superpixels.Params(s.get(Params.SegSort.SUPERPIXELS), s.get(Params.SegSort.SUPERPIXEL_COMPACTNESS),
                Superpixels.Params.DEFAULTS.iterations());
    }

    /** A fresh net with the method's losses, the backbone initialised as train.init says, train.freeze-bn applied. */
    static PretrainedWeights.Init newNetwork(JobContext ctx, Settings s, int numClasses) {
        long seed = s.get(Params.Train.SEED);
        int outputStride = s.get(Params.Train.OUTPUT_STRIDE);
        ComputationGraph net = s.get(Params.Train.NETWORK).equals("deeplab")
                ? SegNets.deeplab(deeplabBackbone(s), numClasses, backboneStride(s), outputStride, seed, hyper(s))
                : SegNets.small(numClasses, outputStride, seed, hyper(s));
        method(s).configure(net);
        String init = s.get(Params.Train.INIT);
        boolean freeze = s.get(Params.Train.FREEZE_BN);
        boolean strict = s.get(Params.Model.PRETRAINED_STRICT);
        if (init.equals("scratch")) {
            return PretrainedWeights.initialise(ctx.hadoopConf(), Params.Train.INIT.key(), "", freeze, strict, net);
        } else if (init.equals(INIT_PRETRAINED)) {
            return PretrainedWeights.initialise(ctx.hadoopConf(), Params.Train.PRETRAINED.key(),
                    s.get(Params.Train.PRETRAINED), freeze, strict, net);
        } else if (!init.equals("classifier")) {
            return PretrainedWeights.initialise(ctx.hadoopConf(), Params.Train.INIT.key(), init, freeze, strict, net);
        }
        return fromClassifier(ctx, s, net, freeze);
    }

    /** train.init = classifier: the train-classifier model's layers copied by name, its input normalisation kept. */
    private static PretrainedWeights.Init fromClassifier(JobContext ctx, Settings s, ComputationGraph net,
                                                         boolean freeze) {
        Path classifierPath = new Path(ctx.stageDir(TrainClassifierJob.NAME), TrainClassifierJob.MODEL);
        PretrainedInit.CopyReport report;
        InputNorm norm;
        try {
            byte[] bytes = ModelStore.readBytes(ctx, classifierPath);
            norm = ModelZip.inputNorm(bytes);
            report = PretrainedInit.copyMatching(ModelStore.fromBytes(bytes, false), net);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("train.init = classifier: cannot read the train-classifier model: "
                    + e.getMessage(), e);
        }
        if (report.copied().isEmpty()) {
            throw new IllegalStateException("train.init = classifier: no layer of the classifier ("
                    + s.get(Params.Classifier.NETWORK) + ") matches train.network = " + s.get(Params.Train.NETWORK)
                    + "; use train.init = scratch or a matching classifier.network");
        }
        LOG.info("{}: backbone initialised from the classifier: {}", NAME, report.summary());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("pretrained_file", classifierPath.toString());
        metrics.put("pretrained_copied", report.copied().size());
        metrics.put("pretrained_skipped", report.skipped().size());
        metrics.put("input_norm", norm.configName());
        ComputationGraph out = freeze ? FineTuning.freezeBatchNorm(net) : net;
        metrics.put("frozen_batch_norms", FineTuning.frozenBatchNorms(out));
        return new PretrainedWeights.Init(out, norm, metrics);
    }

    /**
     * The train split with what {@code supervision} needs: random-walk's pseudo-label or (masks) the image's own
     * ground-truth mask as the dense label, points (flattened x, y, class triples) from the manifest or sampled from
     * the masks; images without points are left out of points training, images without a mask out of masks
     * training.
     */
    static JavaRDD<TrainingImage> trainingImages(JobContext ctx, Settings s, String supervision) {
        Dataset<Row> manifest = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"))
                .filter(col("split").equalTo("train"));
        boolean masks = supervision.equals(MASKS);
        boolean boxes = supervision.equals(BOXES);
        // boxes and scribbles only when used: a manifest ingested before they were read has neither column
        manifest = boxes || supervision.equals(SCRIBBLES)
                ? manifest.select("image_id", "image", "labels", "points", "mask", "boxes", "scribble", "width", "height")
                : manifest.select("image_id", "image", "labels", "points", "mask");
        if (supervision.equals(SCRIBBLES)) {
            manifest = manifest.filter(col("scribble").isNotNull());
        }
        boolean pseudo = readsWalk(supervision);
        boolean usePoints = usesPoints(supervision);
        if (masks) {
            manifest = manifest.filter(col("mask").isNotNull());
        }
        if (pseudo) {
            manifest = ManifestJoin.join(ctx.spark(), manifest, ctx.spark().read()
                    .parquet(ctx.stagePath(RandomWalkJob.NAME, "labels"))
                    .select(col("image_id"), col("mask").as("pseudo"))).rows();
        }
        boolean sample = s.get(Params.Train.POINTS_SOURCE).equals("gt-sample");
        long seed = s.get(Params.Train.SEED);
        JavaRDD<TrainingImage> out = manifest.javaRDD().map(r -> {
            String id = r.getString(0);
            int[] points = new int[0];
            if (usePoints) {
                points = sample ? sampledPoints(r, id, seed) : manifestPoints(r.getList(3));
            }
            List<Integer> l = r.getList(2);
            byte[] dense = pseudo ? (byte[]) r.get(r.fieldIndex("pseudo")) : masks ? (byte[]) r.get(4)
                    : supervision.equals(SCRIBBLES) ? (byte[]) r.get(6) : null;
            if (boxes) {
                List<Row> b = r.getList(5);
                // an image with tags but no box was not annotated with boxes: it has no box label
                dense = b.isEmpty() && !l.isEmpty() ? null : ImageCodec.encodePaletteMask(
                        BoxLabels.filled(r.getInt(7), r.getInt(8), ManifestSchema.boxes(b)));
            }
            return new TrainingImage(id, (byte[]) r.get(1), l.stream().mapToInt(Integer::intValue).toArray(),
                    points, dense, null);
        });
        if (boxes) {
            out = out.filter(t -> t.pseudoLabel() != null);
        }
        return usePoints && !pseudo ? out.filter(t -> t.points().length > 0) : out;
    }

    private static int[] manifestPoints(List<Row> rows) {
        int[] p = new int[rows.size() * 3];
        for (int i = 0; i < rows.size(); i++) {
            p[3 * i] = rows.get(i).getInt(0);
            p[3 * i + 1] = rows.get(i).getInt(1);
            p[3 * i + 2] = rows.get(i).getInt(2);
        }
        return p;
    }

    /** One point per region of the mask; regions under 1/2000 of the image (at least 16 pixels) get none. */
    private static int[] sampledPoints(Row r, String id, long seed) throws Exception {
        byte[] maskPng = (byte[]) r.get(4);
        if (maskPng == null) {
            return new int[0];
        }
        LabelMask mask = ImageCodec.decodeMask(maskPng, id);
        int minPixels = Math.max(16, mask.width() * mask.height() / 2000);
        List<Point> pts = PointSampler.sample(mask, minPixels, seed * 31 + id.hashCode());
        int[] p = new int[pts.size() * 3];
        for (int i = 0; i < pts.size(); i++) {
            p[3 * i] = pts.get(i).x();
            p[3 * i + 1] = pts.get(i).y();
            p[3 * i + 2] = pts.get(i).classIndex();
        }
        return p;
    }

    private static boolean hasBackgroundPoint(TrainingImage t) {
        for (int i = 2; i < t.points().length; i += 3) {
            if (t.points()[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static int countLabelled(byte[] map) {
        int n = 0;
        if (map != null) {
            for (byte b : map) {
                n += (b & 0xff) != SegTargets.IGNORE ? 1 : 0;
            }
        }
        return n;
    }

    /** PDML's online extension from the current net, on executors (the model is loaded once per partition). */
    static JavaRDD<TrainingImage> withExtension(Broadcast<byte[]> model, JavaRDD<TrainingImage> items,
                                                int inputSize, double threshold, int window) {
        return items.mapPartitions(it -> {
            if (!it.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            ComputationGraph g = ModelStore.fromBytes(model.value(), false);
            InputNorm norm = ModelZip.inputNorm(model.value());
            return RowStream.map(it, t -> t.withExtension(SegExampleMaker.extension(g, norm, t, inputSize, threshold,
                    window)), () -> { });
        });
    }

    /**
     * mIoU of one forward pass per image, resized so its long side is the training input size, against each item's
     * target (its mask, ground truth or pseudo-label, with its points on top).
     */
    static SegmentationMetrics score(JobContext ctx, ComputationGraph net, InputNorm norm, JavaRDD<ScoreItem> items,
                                     List<String> labelNames, int inputSize, long count) {
        Broadcast<byte[]> model = ctx.jsc().broadcast(ModelStore.toBytes(net, false));
        int numLabels = labelNames.size();
        try {
            ConfusionMatrix cm = items.mapPartitions(it -> {
                ConfusionMatrix m = new ConfusionMatrix(numLabels);
                ComputationGraph g = it.hasNext() ? ModelStore.fromBytes(model.value(), false) : null;
                while (it.hasNext()) {
                    ScoreItem item = it.next();
                    RgbImage img = ImageCodec.decodeRgb(item.image());
                    double scale = inputSize / (double) Math.max(img.width(), img.height());
                    float[] probs = SegPredictor.predict(g, img, new double[]{scale}, false, norm);
                    m.add(SegPredictor.argmax(probs, numLabels, img.height(), img.width()),
                            item.target(img.width(), img.height()));
                }
                return List.of(m).iterator();
            }).fold(new ConfusionMatrix(numLabels), ConfusionMatrix::sum);
            return SegmentationMetrics.of(cm, labelNames, count);
        } finally {
            model.destroy();
        }
    }

    /**
     * An image scored after an epoch and its target: a label PNG (val ground truth or a held-out image's
     * pseudo-label; null for none) and flattened (x, y, class) points drawn over it; unlabelled pixels are 255.
     */
    record ScoreItem(String imageId, byte[] image, byte[] mask, int[] points) implements Serializable {
        byte[] target(int width, int height) throws Exception {
            byte[] t;
            if (mask != null) {
                LabelMask m = ImageCodec.decodeMask(mask, imageId);
                if (m.width() != width || m.height() != height) {
                    throw new IllegalStateException(imageId + ": target " + m.width() + "x" + m.height()
                            + " vs image " + width + "x" + height);
                }
                t = m.labels().clone();
            } else {
                t = new byte[width * height];
                Arrays.fill(t, (byte) SegTargets.IGNORE);
            }
            for (int i = 0; i + 2 < points.length; i += 3) {
                int x = points[i], y = points[i + 1];
                if (x >= 0 && x < width && y >= 0 && y < height) {
                    t[y * width + x] = (byte) points[i + 2];
                }
            }
            return t;
        }
    }

    /** One training image and its targets as they travel between executors. */
    public record TrainingImage(String imageId, byte[] image, int[] labels, int[] points, byte[] pseudoLabel,
                                byte[] extension) implements Serializable {
        TrainingImage withExtension(byte[] ext) {
            return new TrainingImage(imageId, image, labels, points, pseudoLabel, ext);
        }
    }
}
