package org.wsss.jobs;

import org.apache.hadoop.fs.Path;
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
import org.wsss.affinity.AffinityNets;
import org.wsss.irn.IrnNets;
import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;
import org.wsss.nn.ClassifierNets;
import org.wsss.nn.ImageTensors;
import org.wsss.nn.InputNorm;
import org.wsss.nn.TrainingHyper;
import org.wsss.spark.ManifestJoin;
import org.wsss.spark.ModelStore;
import org.wsss.spark.PretrainedWeights;
import org.wsss.spark.train.AveragingTrainer;
import org.wsss.spark.train.EpochLoop;
import org.wsss.spark.train.EpochOrder;
import org.wsss.spark.train.PolySchedule;
import org.wsss.spark.train.RoundProgress;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.apache.spark.sql.functions.col;

/**
 * {@code wsss train-affinity}: AffinityNet trained on the confident regions of make-affinity-labels with the
 * class-balanced pair loss, synchronous parameter averaging, checkpoints and resume (as train-classifier).
 */
public final class TrainAffinityJob implements Stage {
    public static final String NAME = "train-affinity";
    static final String DESCRIPTION = "Trains AffinityNet on the confident regions (pairs within affinity.radius; loss L_bg+/4 + L_fg+/4 "
            + "+ L_neg/2) with synchronous parameter averaging; checkpoints per epoch, resumable; "
            + "<run-dir>/train-affinity/model.zip.";
    public static final String MODEL = EpochLoop.MODEL;

    /** One training image with its confident-region labels on the CAM grid. */
    record Item(String imageId, byte[] image, byte[] labels, int gridH, int gridW) implements Serializable {
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
        return List.of("affinity", "classifier.network", "classifier.output-stride", "irn.radius", "irn.epochs",
                "irn.learning-rate");
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME, MakeAffinityLabelsJob.NAME);
    }

    /** IRNet reads the classifier's levels: the trained classifier is an input too. */
    @Override
    public List<String> inputs(Settings s) {
        return irn(s) ? List.of(IngestJob.NAME, MakeAffinityLabelsJob.NAME, TrainClassifierJob.NAME) : inputs();
    }

    static boolean irn(Settings s) {
        return s.get(Params.Affinity.METHOD).equals("irn");
    }

    @Override
    public void validate(Settings s) {
        if (irn(s) && s.get(Params.Affinity.OUTPUT_STRIDE) != IrnNets.STRIDE) {
            throw new IllegalStateException("affinity.method = irn predicts at stride " + IrnNets.STRIDE + ": it "
                    + "needs affinity.output-stride = " + IrnNets.STRIDE + " (the grid of its confident-region "
                    + "labels), got " + s.get(Params.Affinity.OUTPUT_STRIDE));
        }
    }

    @Override
    public boolean resumable() {
        return true;
    }

    static TrainingHyper hyper(Settings s) {
        return new TrainingHyper(s.get(Params.Affinity.OPTIMIZER), s.get(Params.Affinity.LEARNING_RATE), 0.9,
                s.get(Params.Affinity.WEIGHT_DECAY), s.get(Params.Affinity.HEAD_LR_MULTIPLIER));
    }

    static TrainingHyper irnHyper(Settings s) {
        return new TrainingHyper(s.get(Params.Affinity.OPTIMIZER), s.get(Params.Irn.LEARNING_RATE), 0.9,
                s.get(Params.Affinity.WEIGHT_DECAY), 1);
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        double minScore = s.get(Params.Affinity.MIN_CLASSIFIER_SCORE);
        Dataset<Row> labels = ctx.spark().read().parquet(ctx.stagePath(MakeAffinityLabelsJob.NAME, "labels"))
                .filter(col("split").equalTo("train")).filter(col("min_score").geq(minScore))
                .select("image_id", "labels", "grid_height", "grid_width");
        JavaRDD<Item> items = ManifestJoin.join(ctx.spark(), ctx.spark().read()
                        .parquet(ctx.stagePath(IngestJob.NAME, "manifest")).select("image_id", "image"), labels)
                .rows().javaRDD()
                .map(r -> new Item(r.getString(0), (byte[]) r.get(1), (byte[]) r.get(2), r.getInt(3), r.getInt(4)))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        List<String> ids = new ArrayList<>(items.map(Item::imageId).collect());
        Collections.sort(ids);
        if (ids.isEmpty()) {
            throw new IllegalStateException("train-affinity: no training images with affinity labels (min classifier "
                    + "score " + minScore + ")");
        }
        int workers = AveragingTrainer.workers(s.get(Params.Affinity.WORKERS), ctx.jsc());
        int batch = s.get(Params.Affinity.BATCH_SIZE);
        int avgFreq = s.get(Params.Affinity.AVERAGING_FREQUENCY);
        int epochs = s.get(Params.Affinity.EPOCHS);
        int inputSize = s.get(Params.Affinity.INPUT_SIZE);
        int radius = s.get(Params.Affinity.RADIUS);
        long seed = s.get(Params.Affinity.SEED);

        EpochLoop loop = new EpochLoop(ctx, NAME, "train_loss", false);
        if (irn(s)) {
            return trainIrn(ctx, s, items, ids, loop, workers, batch, avgFreq, s.get(Params.Irn.EPOCHS), inputSize,
                    seed);
        }
        ComputationGraph initial = loop.startFrom(() -> PretrainedWeights.initialise(ctx.hadoopConf(),
                Params.Affinity.PRETRAINED.key(), s.get(Params.Affinity.PRETRAINED), s.get(Params.Affinity.FREEZE_BN),
                s.get(Params.Model.PRETRAINED_STRICT), newNetwork(s)));
        InputNorm norm = loop.inputNorm();
        // the feature grid the labels must match, read off the network itself
        int grid = (int) AffinityNets.features(initial, Nd4j.zeros(1, 3, inputSize, inputSize)).height();
        AveragingTrainer trainer = new AveragingTrainer(ctx.jsc(), initial, workers, batch, avgFreq);
        PolySchedule schedule = PolySchedule.uniform(trainer, ids.size(), epochs,
                s.get(Params.Affinity.LEARNING_RATE), s.get(Params.Affinity.POLY_POWER));
        List<Map<String, Object>> history = trainEpochs(ctx, s, items, ids, loop, trainer, schedule, epochs, seed,
                (keyed, epoch, rounds) -> trainer.fitEpoch(keyed, ids.size(),
                        new Maker(inputSize, grid, radius, seed, epoch, norm)::make, schedule.epoch(epoch), rounds));
        return summary(loop, trainer, ids.size(), workers, history);
    }

    /** IRNet's two branches on the trained classifier's frozen levels, trained as AffinityNet is. */
    private static Map<String, Object> trainIrn(JobContext ctx, Settings s, JavaRDD<Item> items, List<String> ids,
                                                EpochLoop loop, int workers, int batch, int avgFreq, int epochs,
                                                int inputSize, long seed) throws Exception {
        byte[] classifierBytes = ModelStore.readBytes(ctx, new Path(ctx.stageDir(TrainClassifierJob.NAME),
                TrainClassifierJob.MODEL));
        ModelStore.Loaded classifier = ModelStore.load(classifierBytes, null);
        List<String> taps = IrnNets.taps(s.get(Params.Classifier.NETWORK));
        if (inputSize % (IrnNets.STRIDE * 4) != 0) {
            throw new IllegalArgumentException(Params.Affinity.INPUT_SIZE.key() + " = " + inputSize + " must be a "
                    + "multiple of 16 for affinity.method = irn (its coarsest levels are upsampled to stride 4)");
        }
        List<IrnNets.Level> levels = IrnNets.shapes(classifier.net(), taps, inputSize);
        int grid = inputSize / IrnNets.STRIDE;
        int radius = s.get(Params.Irn.RADIUS);
        ComputationGraph initial = loop.startFrom(() -> new PretrainedWeights.Init(
                IrnNets.build(levels, radius, grid, seed, irnHyper(s)), classifier.norm(),
                new LinkedHashMap<>(Map.of("backbone", "train-classifier's, frozen"))));
        Broadcast<byte[]> bClassifier = ctx.jsc().broadcast(classifierBytes);
        AveragingTrainer trainer = new AveragingTrainer(ctx.jsc(), initial, workers, batch, avgFreq);
        PolySchedule schedule = PolySchedule.uniform(trainer, ids.size(), epochs,
                s.get(Params.Irn.LEARNING_RATE), s.get(Params.Affinity.POLY_POWER));
        List<Map<String, Object>> history = trainEpochs(ctx, s, items, ids, loop, trainer, schedule, epochs, seed,
                (keyed, epoch, rounds) -> trainer.fitEpochMulti(keyed, ids.size(), new IrnMaker(new Maker(inputSize,
                        grid, radius, seed, epoch, classifier.norm()), taps, bClassifier)::make, schedule.epoch(epoch),
                        rounds));
        bClassifier.destroy();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "irn");
        m.put("levels", levels.stream().map(l -> l.vertex() + " (" + l.channels() + " ch, stride " + l.stride() + ")")
                .toList());
        m.putAll(summary(loop, trainer, ids.size(), workers, history));
        return m;
    }

    /** One epoch's fit of the examples keyed by their position in the epoch's order. */
    private interface EpochFit {
        double fit(JavaPairRDD<Long, Item> keyed, int epoch, RoundProgress rounds);
    }

    /** The epochs: each in its own seeded order, its loss and last learning rate recorded. */
    private static List<Map<String, Object>> trainEpochs(JobContext ctx, Settings s, JavaRDD<Item> items,
                                                         List<String> ids, EpochLoop loop, AveragingTrainer trainer,
                                                         PolySchedule schedule, int epochs, long seed, EpochFit fit)
            throws Exception {
        List<Map<String, Object>> history = loop.run(epochs, trainer::network, epoch -> {
            Broadcast<Map<String, Long>> bPos = ctx.jsc().broadcast(EpochOrder.shuffledPositions(ids, seed, epoch));
            JavaPairRDD<Long, Item> keyed = items.mapToPair(it -> new Tuple2<>(bPos.value().get(it.imageId()), it));
            double loss = fit.fit(keyed, epoch, new RoundProgress(NAME, epoch, ids.size(),
                    s.get(Params.Runtime.PROGRESS_SECONDS)));
            bPos.destroy();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("train_loss", loss);
            row.put("last_learning_rate", schedule.lastRate(epoch));
            row.put("examples", ids.size());
            return row;
        });
        items.unpersist();
        return history;
    }

    private static Map<String, Object> summary(EpochLoop loop, AveragingTrainer trainer, int images, int workers,
                                               List<Map<String, Object>> history) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_images", images);
        m.put("best_epoch", loop.bestEpoch());
        m.put("train_loss", loop.bestRow().get("train_loss"));
        m.put("workers", workers);
        m.putAll(loop.initMetrics());
        m.putAll(loop.timeSplit(trainer.phases()));
        m.put("epochs", history);
        return m;
    }

    /**
     * IRNet's examples: {@link Maker}'s resized, flipped image and pair codes, the image turned into the classifier's
     * level activations (the net's inputs) and the codes given to both outputs.
     */
    record IrnMaker(Maker base, List<String> taps, Broadcast<byte[]> classifier) implements Serializable {
        Iterator<org.nd4j.linalg.dataset.api.MultiDataSet> make(Iterator<Tuple2<Long, Item>> it) {
            ComputationGraph net = ModelStore.load(classifier.value(), null).net();
            List<org.nd4j.linalg.dataset.api.MultiDataSet> out = new ArrayList<>();
            Iterator<DataSet> plain = base.make(it);
            while (plain.hasNext()) {
                DataSet d = plain.next();
                INDArray[] levels = IrnNets.levels(net, taps, d.getFeatures());
                out.add(new org.nd4j.linalg.dataset.MultiDataSet(levels,
                        new INDArray[]{d.getLabels(), d.getLabels().dup()}));
            }
            return out.iterator();
        }
    }

    static ComputationGraph newNetwork(Settings s) {
        long seed = s.get(Params.Affinity.SEED);
        int radius = s.get(Params.Affinity.RADIUS);
        int outputStride = s.get(Params.Affinity.OUTPUT_STRIDE);
        String network = s.get(Params.Classifier.NETWORK);
        ComputationGraph net = ClassifierNets.RESNETS.contains(network)
                ? AffinityNets.resnet(network, s.get(Params.Classifier.OUTPUT_STRIDE), outputStride, radius, seed,
                hyper(s))
                : AffinityNets.small(outputStride, radius, seed, hyper(s));
        int multiple = AffinityNets.inputSizeMultiple(net);
        int inputSize = s.get(Params.Affinity.INPUT_SIZE);
        if (inputSize % multiple != 0) {
            throw new IllegalArgumentException(Params.Affinity.INPUT_SIZE.key() + " = " + inputSize + " must be a "
                    + "multiple of " + multiple + " (the backbone's output stride) at "
                    + Params.Affinity.OUTPUT_STRIDE.key() + " = " + outputStride);
        }
        return net;
    }

    /** Image resized to the input size (flipped with its labels half of the time) and the pair codes. */
    record Maker(int inputSize, int grid, int radius, long seed, int epoch, InputNorm norm) implements Serializable {
        Iterator<DataSet> make(Iterator<Tuple2<Long, Item>> it) {
            List<DataSet> out = new ArrayList<>();
            while (it.hasNext()) {
                Tuple2<Long, Item> t = it.next();
                Item item = t._2();
                RgbImage img = ImageTensors.resize(ImageCodec.decodeRgb(item.image()), inputSize, inputSize);
                int g = grid;
                byte[] lab = LabelMask.resizeNearest(item.labels(), item.gridH(), item.gridW(), g, g);
                if (new Random(seed * 1_000_003L + epoch * 7_777L + t._1()).nextBoolean()) {
                    img = ImageTensors.flipHorizontal(img);
                    lab = LabelMask.flipHorizontal(lab, g, g);
                }
                INDArray x = norm.toInput(img);
                float[] codes = AffinityNets.labelsFor(lab, g, g, radius);
                INDArray y = Nd4j.create(codes, new long[]{1, codes.length});
                out.add(new DataSet(x, y));
            }
            return out.iterator();
        }
    }
}
