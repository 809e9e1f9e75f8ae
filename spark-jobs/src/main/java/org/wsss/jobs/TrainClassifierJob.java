package org.wsss.jobs;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ClassList;
import org.wsss.data.ImageCodec;
import org.wsss.data.RgbImage;
import org.wsss.metrics.AveragePrecision;
import org.wsss.metrics.MultiLabelMetrics;
import org.wsss.nn.Augmenter;
import org.wsss.nn.BalancedSigmoidLoss;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.InputNorm;
import org.wsss.nn.ModelZip;
import org.wsss.nn.TrainingHyper;
import org.wsss.spark.ModelStore;
import org.wsss.spark.PretrainedWeights;
import org.wsss.spark.train.AveragingTrainer;
import org.wsss.spark.train.EpochLoop;
import org.wsss.spark.train.PolySchedule;
import org.wsss.spark.train.RoundProgress;
import org.wsss.train.CollapseCheck;
import org.wsss.train.EpochPlan;
import org.wsss.train.UnderfitCheck;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code wsss train-classifier}: the multi-label classifier of stage 1, trained on executors with synchronous
 * parameter averaging. Per epoch: a checkpoint (with updater state) and the held-out loss and F1; the
 * best-F1 model is {@code model.zip}. An interrupted run resumes from its last checkpoint.
 */
public final class TrainClassifierJob implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(TrainClassifierJob.class);
    public static final String NAME = "train-classifier";
    static final String DESCRIPTION = "Trains the multi-label classifier (stage 1) on executors with synchronous parameter averaging; a checkpoint per epoch, held-out loss, F1 and mAP per epoch (and the val split's, reported only), the last (classifier.select = last) or best-F1 (holdout) model in <run-dir>/train-classifier/model.zip; an interrupted run resumes.";
    static final String SELECT_HOLDOUT = "holdout";
    public static final String MODEL = EpochLoop.MODEL;

    /** One training image as the executors need it. */
    record Item(String imageId, byte[] image, int[] labels) implements Serializable {
    }

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
        return List.of("classifier");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME);
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public void validate(Settings s) {
        if (s.get(Params.Classifier.SELECT).equals(SELECT_HOLDOUT) && s.get(Params.Classifier.HOLDOUT_FRACTION) == 0) {
            throw new IllegalStateException("classifier.select = holdout needs a holdout: classifier.holdout-fraction "
                    + "is 0; raise it or set classifier.select = last");
        }
    }

    public static TrainingHyper hyper(Settings s) {
        return new TrainingHyper(s.get(Params.Classifier.OPTIMIZER), s.get(Params.Classifier.LEARNING_RATE),
                s.get(Params.Classifier.MOMENTUM), s.get(Params.Classifier.WEIGHT_DECAY),
                s.get(Params.Classifier.HEAD_LR_MULTIPLIER));
    }

    /** The untrained classifier the configuration asks for, freshly initialised. */
    public static ComputationGraph newNetwork(Settings s, int numClasses) {
        long seed = s.get(Params.Classifier.SEED);
        String network = s.get(Params.Classifier.NETWORK);
        return ClassifierNets.RESNETS.contains(network)
                ? ClassifierNets.resnet(network, numClasses, s.get(Params.Classifier.OUTPUT_STRIDE), seed, hyper(s))
                : ClassifierNets.smallDilated(numClasses, seed, hyper(s));
    }

    /** {@link #newNetwork} with classifier.pretrained copied in and classifier.freeze-bn applied. */
    public static PretrainedWeights.Init initialNetwork(JobContext ctx, Settings s, int numClasses) {
        return PretrainedWeights.initialise(ctx.hadoopConf(), Params.Classifier.PRETRAINED.key(),
                s.get(Params.Classifier.PRETRAINED), s.get(Params.Classifier.FREEZE_BN),
                s.get(Params.Model.PRETRAINED_STRICT), newNetwork(s, numClasses));
    }

    /** The classes left out of the targets: classifier.exclude-classes, or all but classifier.only-classes. */
    static Set<Integer> excludedClasses(Settings s, ClassList classes) {
        List<String> only = s.get(Params.Classifier.ONLY_CLASSES);
        if (!only.isEmpty()) {
            if (!s.get(Params.Classifier.EXCLUDE_CLASSES).isEmpty()) {
                throw new IllegalStateException("classifier.only-classes = " + only + " and classifier.exclude-classes"
                        + " = " + s.get(Params.Classifier.EXCLUDE_CLASSES) + " exclude each other: set one");
            }
            Set<Integer> kept = new HashSet<>();
            for (String name : only) {
                int idx = classes.indexOf(name);
                if (idx < 0) {
                    throw new IllegalArgumentException("classifier.only-classes: '" + name
                            + "' is not a class of the dataset " + classes.names());
                }
                kept.add(idx);
            }
            Set<Integer> out = new HashSet<>();
            for (int c = 1; c <= classes.size(); c++) {
                if (!kept.contains(c)) {
                    out.add(c);
                }
            }
            return out;
        }
        Set<Integer> out = new HashSet<>();
        for (String name : s.get(Params.Classifier.EXCLUDE_CLASSES)) {
            int idx = classes.indexOf(name);
            if (idx < 0) {
                throw new IllegalArgumentException("classifier.exclude-classes: '" + name
                        + "' is not a class of the dataset " + classes.names());
            }
            out.add(idx);
        }
        return out;
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        ClassList classes = IngestJob.classes(ctx);
        int numClasses = classes.size();
        Set<Integer> excluded = excludedClasses(s, classes);
        double holdout = s.get(Params.Classifier.HOLDOUT_FRACTION);

        Dataset<Row> manifest = ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest"));
        JavaRDD<Item> all = manifest.filter("split = 'train'").select("image_id", "image", "labels").javaRDD()
                .map(TrainClassifierJob::toItem);
        // the val split's image tags score each epoch for the report only: nothing is chosen on them
        JavaRDD<Item> val = manifest.filter("split = 'val'").select("image_id", "image", "labels").javaRDD()
                .map(TrainClassifierJob::toItem).persist(StorageLevel.MEMORY_AND_DISK_SER());
        long valCount = val.count();
        JavaRDD<Item> train = all.filter(it -> !EpochPlan.isHoldout(it.imageId(), holdout))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<Item> held = all.filter(it -> EpochPlan.isHoldout(it.imageId(), holdout))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        List<EpochPlan.Item> planItems = new ArrayList<>(train.map(it -> new EpochPlan.Item(it.imageId(), it.labels()))
                .collect());
        planItems.sort(java.util.Comparator.comparing(EpochPlan.Item::imageId));
        if (planItems.isEmpty()) {
            throw new IllegalStateException("train-classifier: no training images in the train split of "
                    + ctx.stagePath(IngestJob.NAME, "manifest"));
        }
        long heldCount = held.count();
        LOG.info("{}: {} training images, {} held out, {} classes", NAME, planItems.size(), heldCount, numClasses);

        int workers = AveragingTrainer.workers(s.get(Params.Classifier.WORKERS), ctx.jsc());
        int batch = s.get(Params.Classifier.BATCH_SIZE);
        int avgFreq = s.get(Params.Classifier.AVERAGING_FREQUENCY);
        int epochs = s.get(Params.Classifier.EPOCHS);

        long seed = s.get(Params.Classifier.SEED);
        int inputSize = s.get(Params.Classifier.INPUT_SIZE);
        boolean augment = s.get(Params.Classifier.AUGMENT);
        double minCropArea = s.get(Params.Classifier.MIN_CROP_AREA);
        double threshold = s.get(Params.Classifier.THRESHOLD);
        EpochPlan.Balance balance = EpochPlan.Balance.valueOf(s.get(Params.Classifier.BALANCE).toUpperCase());
        int target = s.get(Params.Classifier.BALANCE_TARGET);
        // every epoch's order up front: the schedule needs their lengths (balancing repeats or drops images); a list
        // of references per epoch, a few MB each at LID's 456k images
        List<List<String>> orders = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            orders.add(EpochPlan.order(planItems, balance, target, excluded, seed, e, true));
        }
        long[] positives = positives(planItems, orders.get(0), numClasses, excluded);
        BalancedSigmoidLoss lossFn = loss(s, positives, orders.get(0).size());
        LOG.info("{}: loss {}", NAME, lossFn);
        // the loss of answering each class's share everywhere, under the weights the loss uses (epoch 0's order)
        double constantLoss = UnderfitCheck.constantAnswerLoss(lossFn, positives, orders.get(0).size());

        boolean holdoutSelect = s.get(Params.Classifier.SELECT).equals(SELECT_HOLDOUT);
        EpochLoop loop = holdoutSelect ? new EpochLoop(ctx, NAME, "holdout_micro_f1", true) : EpochLoop.last(ctx, NAME);
        ComputationGraph initial = loop.startFrom(() -> {
            PretrainedWeights.Init init = initialNetwork(ctx, s, numClasses);
            ClassifierNets.useLoss(init.net(), lossFn);
            return init;
        });
        InputNorm norm = loop.inputNorm();
        AveragingTrainer trainer = new AveragingTrainer(ctx.jsc(), initial, workers, batch, avgFreq);
        PolySchedule schedule = PolySchedule.of(trainer, orders.stream().mapToLong(List::size).toArray(),
                s.get(Params.Classifier.LEARNING_RATE), s.get(Params.Classifier.POLY_POWER));

        List<Map<String, Object>> history = loop.run(epochs, trainer::network, epoch -> {
            long t0 = System.nanoTime();
            List<String> order = orders.get(epoch);
            Map<String, List<Long>> positions = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                positions.computeIfAbsent(order.get(i), k -> new ArrayList<>()).add((long) i);
            }
            Broadcast<Map<String, List<Long>>> bPositions = ctx.jsc().broadcast(positions);
            JavaPairRDD<Long, Item> keyed = train.flatMapToPair(it -> {
                List<Tuple2<Long, Item>> out = new ArrayList<>();
                for (Long p : bPositions.value().getOrDefault(it.imageId(), List.of())) {
                    out.add(new Tuple2<>(p, it));
                }
                return out.iterator();
            });
            ExampleMaker maker = new ExampleMaker(numClasses, excluded, inputSize, augment, minCropArea, seed, epoch,
                    norm);
            double loss = trainer.fitEpoch(keyed, order.size(), maker::make,
                    schedule.epoch(epoch), new RoundProgress(NAME, epoch, order.size(),
                            s.get(Params.Runtime.PROGRESS_SECONDS)));
            bPositions.destroy();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("train_loss", loss);
            row.put("last_learning_rate", schedule.lastRate(epoch));
            int active = numClasses - excluded.size();
            Broadcast<byte[]> model = ctx.jsc().broadcast(ModelZip.toBytes(trainer.network(), false, norm));
            try {
                evaluate(model, held, numClasses, excluded, inputSize, threshold).put(row, "holdout_", active, true);
                if (valCount > 0) {
                    evaluate(model, val, numClasses, excluded, inputSize, threshold).put(row, "val_", active, false);
                }
            } finally {
                model.destroy();
            }
            row.put("examples", order.size());
            row.put("samples_per_second", order.size() / ((System.nanoTime() - t0) / 1e9));
            return row;
        });
        train.unpersist();
        held.unpersist();
        val.unpersist();

        Map<String, Object> metrics = new LinkedHashMap<>();
        CollapseCheck.Verdict collapse = CollapseCheck.check(
                history.stream().map(h -> ((Number) h.get("holdout_micro_f1")).doubleValue()).toList(),
                ((Number) history.get(history.size() - 1).get("holdout_chance_micro_f1")).doubleValue(),
                s.get(Params.Classifier.COLLAPSE_EPOCHS));
        if (collapse.collapsed()) {
            LOG.warn("{}: {}", NAME, collapse.message());
        }
        UnderfitCheck.Verdict underfit = UnderfitCheck.check(
                ((Number) history.get(history.size() - 1).get("train_loss")).doubleValue(), constantLoss,
                s.get(Params.Classifier.UNDERFIT_RATIO));
        if (underfit.underfit()) {
            LOG.warn("{}: {}", NAME, underfit.message());
        }
        Map<String, Object> best = loop.bestRow();
        metrics.put("selected_by", holdoutSelect ? "holdout:train" : "last");
        metrics.put("selected_epoch", loop.bestEpoch());
        if (valCount > 0) {
            for (String k : List.of("val_micro_f1", "val_chance_micro_f1", "val_map", "val_chance_map")) {
                metrics.put(k, best.get(k));
            }
            metrics.put("num_val", valCount);
            metrics.put("val_note", "val scores are the kept epoch's on the val split's image tags, reported only: "
                    + "the val split chose nothing");
        }
        if (holdoutSelect) {
            metrics.put("holdout_note", "holdout_micro_f1 and holdout_map are those of the epoch chosen on this "
                    + "holdout, so optimistic; with classifier.select = last they are unbiased");
        }
        metrics.put("holdout_micro_f1", best.get("holdout_micro_f1"));
        metrics.put("holdout_macro_f1", best.get("holdout_macro_f1"));
        metrics.put("holdout_map", best.get("holdout_map"));
        metrics.put("holdout_chance_map", best.get("holdout_chance_map"));
        metrics.put("train_loss", best.get("train_loss"));
        metrics.put("num_images", planItems.size());
        metrics.put("num_holdout", heldCount);
        metrics.put("workers", workers);
        metrics.put("samples_per_second", history.stream()
                .mapToDouble(h -> ((Number) h.get("samples_per_second")).doubleValue()).average().orElse(0));
        metrics.put("collapse", collapse.toMap());
        metrics.put("constant_answer_loss", constantLoss);
        metrics.put("underfit", underfit.toMap());
        metrics.put("loss", lossFn.toString());
        metrics.putAll(loop.initMetrics());
        metrics.putAll(loop.timeSplit(trainer.phases()));
        metrics.put("epochs", history);
        return metrics;
    }

    /**
     * The configured loss; balanced weights count each class's positives in the images of an epoch's order (after
     * class balancing, which repeats or drops images: {@link #positives}), so weights and balancing do not correct
     * the same skew twice.
     */
    static BalancedSigmoidLoss loss(Settings s, long[] positives, long orderSize) {
        double gamma = s.get(Params.Classifier.FOCAL_GAMMA);
        if (s.get(Params.Classifier.LOSS).equals("plain")) {
            return new BalancedSigmoidLoss(new double[0], gamma);
        }
        return new BalancedSigmoidLoss(BalancedSigmoidLoss.weightsFromCounts(positives, orderSize,
                s.get(Params.Classifier.MAX_POSITIVE_WEIGHT)), gamma);
    }

    /** Images of the epoch's order tagged with each class (excluded classes count 0). */
    static long[] positives(List<EpochPlan.Item> items, List<String> order, int numClasses, Set<Integer> excluded) {
        Map<String, int[]> labels = new HashMap<>();
        for (EpochPlan.Item it : items) {
            labels.put(it.imageId(), EpochPlan.effectiveLabels(it.labels(), excluded));
        }
        long[] positives = new long[numClasses];
        for (String id : order) {
            for (int l : labels.get(id)) {
                positives[l - 1]++;
            }
        }
        return positives;
    }

    static Item toItem(Row r) {
        List<Integer> l = r.getList(2);
        return new Item(r.getString(0), (byte[]) r.get(1), l.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Multi-hot target over the C classes (excluded classes stay 0). */
    static float[] target(int[] labels, int numClasses, Set<Integer> excluded) {
        float[] y = new float[numClasses];
        for (int l : EpochPlan.effectiveLabels(labels, excluded)) {
            y[l - 1] = 1f;
        }
        return y;
    }

    /** Decodes and augments one worker's share into single-example DataSets, seeded by epoch and position. */
    record ExampleMaker(int numClasses, Set<Integer> excluded, int inputSize, boolean augment, double minCropArea,
                        long seed, int epoch, InputNorm norm) implements Serializable {
        Iterator<DataSet> make(Iterator<Tuple2<Long, Item>> it) {
            List<DataSet> out = new ArrayList<>();
            Augmenter.Settings aug = augment ? Augmenter.Settings.defaults(inputSize).withResizedCrop(minCropArea)
                    : new Augmenter.Settings(inputSize, inputSize, inputSize, 0, 0, 0, 0);
            while (it.hasNext()) {
                Tuple2<Long, Item> t = it.next();
                RgbImage img = ImageCodec.decodeRgb(t._2().image());
                long s = seed * 1_000_003L + epoch * 1_000_000_007L + t._1();
                RgbImage crop = new Augmenter(aug, s).apply(img);
                INDArray x = norm.toInput(crop);
                INDArray y = Nd4j.create(target(t._2().labels(), numClasses, excluded), new long[]{1, numClasses});
                out.add(new DataSet(x, y));
            }
            return out.iterator();
        }
    }

    /** Held-out scores at the threshold (F1) and threshold-free (average precision), merged over partitions. */
    record HoldoutScores(MultiLabelMetrics f1, AveragePrecision ap) implements Serializable {
        HoldoutScores merge(HoldoutScores other) {
            f1.merge(other.f1);
            ap.merge(other.ap);
            return this;
        }

        /** Adds the scores to an epoch's row under {@code prefix}, with the values of uninformative answers. */
        void put(Map<String, Object> row, String prefix, int activeClasses, boolean macro) {
            row.put(prefix + "micro_f1", f1.microF1());
            row.put(prefix + "chance_micro_f1", f1.allPositiveMicroF1(activeClasses));
            if (macro) {
                row.put(prefix + "macro_f1", f1.macroF1());
            }
            row.put(prefix + "map", ap.meanAp());
            row.put(prefix + "chance_map", ap.chanceMeanAp());
        }
    }

    /** Predictions of the broadcast model on executors (loaded once per partition) merged into multi-label scores. */
    static HoldoutScores evaluate(Broadcast<byte[]> model, JavaRDD<Item> held, int numClasses,
                                  Set<Integer> excluded, int inputSize, double threshold) {
        boolean[] active = new boolean[numClasses];
        for (int c = 0; c < numClasses; c++) {
            active[c] = !excluded.contains(c + 1);
        }
        return held.mapPartitions(it -> {
                HoldoutScores m = new HoldoutScores(new MultiLabelMetrics(numClasses), new AveragePrecision(numClasses));
                if (!it.hasNext()) {
                    return List.of(m).iterator();
                }
                ComputationGraph g = ModelStore.fromBytes(model.value(), false);
                InputNorm norm = ModelZip.inputNorm(model.value());
                while (it.hasNext()) {
                    Item item = it.next();
                    RgbImage img = ImageCodec.decodeRgb(item.image());
                    double f = inputSize / (double) Math.max(img.width(), img.height());
                    RgbImage resized = ImageTensors.resize(img, Math.max(1, (int) Math.round(img.width() * f)),
                            Math.max(1, (int) Math.round(img.height() * f)));
                    INDArray scores = g.outputSingle(norm.toInput(resized));
                    double[] sc = scores.toDoubleVector();
                    int[] pred = MultiLabelMetrics.threshold(sc, threshold);
                    int[] predIdx = java.util.Arrays.stream(pred).map(p -> p + 1)
                            .filter(p -> !excluded.contains(p)).toArray();
                    int[] truth = toZeroBased(EpochPlan.effectiveLabels(item.labels(), excluded));
                    m.f1().add(truth, toZeroBased(predIdx));
                    boolean[] present = new boolean[numClasses];
                    for (int t : truth) {
                        present[t] = true;
                    }
                    m.ap().add(sc, present, active);
                }
                return List.of(m).iterator();
            }).reduce(HoldoutScores::merge);
    }

    private static int[] toZeroBased(int[] classIndices) {
        return java.util.Arrays.stream(classIndices).map(c -> c - 1).toArray();
    }
}
