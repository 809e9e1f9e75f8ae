package org.wsss.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.wsss.config.ParamBuilder.*;

/**
 * Every configuration key of wsss-spark, in one place: name, doc, default, validator. Each nested class is
 * one section; {@link #all()} collects them in declaration order and {@code conf/reference.conf} is rendered
 * from them ({@link ReferenceConf}).
 */
public final class Params {
    private Params() {
    }

    /** Where the images and their cheap labels come from. */
    public static final class Dataset {
        public static final Param<String> FORMAT = oneOf("dataset.format",
                "Input format: 'synthetic' (the built-in seeded scene generator), 'voc' (PASCAL VOC 2012 layout) "
                        + "or 'lid' (ImageNet-DET per-class lists, the LID challenge layout).",
                "synthetic", "synthetic", "voc", "lid");
        public static final Param<String> ROOT = string("dataset.root",
                "Dataset folder: a local path or any Hadoop file system URI (file://, hdfs://, s3a://). "
                        + "Required for voc and lid.", "");
        public static final Param<List<String>> CLASSES = strings("dataset.classes",
                "Foreground class names in index order (background is the implicit index 0). Empty = the format's "
                        + "own list: the 20 VOC classes for voc, the generator's classes for synthetic, "
                        + "class_1..class_K for lid.", List.of());
        public static final Param<String> POINTS = string("dataset.points",
                "Optional JSON-lines point annotation file, one object per image: "
                        + "{\"image_id\": ..., \"points\": [{\"x\": .., \"y\": .., \"class\": \"name\"}]}. Empty = none.",
                "");
        public static final Param<String> BOXES = string("dataset.boxes",
                "Optional JSON-lines box annotation file, one object per image: {\"image_id\": ..., \"boxes\": "
                        + "[{\"x0\": .., \"y0\": .., \"x1\": .., \"y1\": .., \"class\": \"name\"}]}, half-open pixel "
                        + "bounds (x0..x1-1). Empty = the VOC XML's <bndbox> where the dataset has them.", "");
        public static final Param<String> SCRIBBLES = string("dataset.scribbles",
                "Optional folder of scribble PNGs, <image_id>.png, the size of their image: the class index on the "
                        + "scribbles, 255 elsewhere (palette or grey, as ScribbleSup's VOC annotations come). Empty = "
                        + "none.", "");
        public static final Param<List<String>> SPLITS = stringsOf("dataset.splits",
                "Splits to ingest ('test': images without labels or masks, LID's test split, for predict and "
                        + "export-submission).", List.of("train", "val"), "train", "val", "test");
    }

    /** The built-in synthetic scene generator (dataset.format = synthetic). */
    public static final class Synthetic {
        public static final Param<Integer> COUNT = intRange("dataset.synthetic.count",
                "Number of generated images (train and val together).", 400, 1, 10_000_000);
        public static final Param<Integer> SIZE = intRange("dataset.synthetic.size",
                "Width and height of a generated image in pixels.", 96, 32, 4096);
        public static final Param<Long> SEED = longAny("dataset.synthetic.seed",
                "Seed of the generator: the same seed gives the same images, masks, labels and points.", 7L);
        public static final Param<Double> VAL_FRACTION = doubleRange("dataset.synthetic.val-fraction",
                "Fraction of the generated images put in the val split.", 0.2, 0.0, 1.0);
        public static final Param<Integer> MAX_OBJECTS = intRange("dataset.synthetic.max-objects",
                "Most objects in one image (at least 1 each).", 4, 1, 16);
        public static final Param<String> PRESET = oneOf("dataset.synthetic.preset",
                "Scene generator: 'shapes' (the demo's 6 shape classes on low-saturation clutter) or 'hard' "
                        + "(10 classes in look-alike pairs sharing a silhouette, told apart by pattern or colour "
                        + "distribution; Zipf-like class frequencies, about 5x from most to least frequent; "
                        + "photo-like backgrounds with distractor shapes of no class).", "shapes", "shapes", "hard");
    }

    /** LID / ImageNet-DET layout, paths relative to dataset.root. */
    public static final class Lid {
        public static final Param<String> LIST_DIR = string("dataset.lid.list-dir",
                "Folder of ILSVRC DET's per-class training lists train_<k>.txt (lines 'image_id label', 1 positive, "
                        + "0 partial, -1 verified negative; k numbers the classes as dataset.classes lists them).",
                "ImageSets/DET");
        public static final Param<String> TRAIN_IMAGE_DIR = string("dataset.lid.train-image-dir",
                "Folder of the training images <image_id>.JPEG.", "Data/DET/train");
        public static final Param<String> VAL_LIST = string("dataset.lid.val-list",
                "LID track 1's validation list (first word of each line is the image id), relative to dataset.root.",
                "LID_track1/val.txt");
        public static final Param<String> VAL_IMAGE_DIR = string("dataset.lid.val-image-dir",
                "Folder of the validation images <image_id>.JPEG.", "LID_track1/val");
        public static final Param<String> VAL_MASK_DIR = string("dataset.lid.val-mask-dir",
                "Folder of the validation ground truth <image_id>.png (greyscale: 0 background, 1..200, 255 ignore).",
                "LID_track1/val_gt");
        public static final Param<String> TEST_LIST = string("dataset.lid.test-list",
                "LID track 1's test list (first word of each line is the image id), relative to dataset.root; "
                        + "ingested with dataset.splits including 'test' (no labels, no masks: for predict and "
                        + "export-submission).", "LID_track1/test.txt");
        public static final Param<String> TEST_IMAGE_DIR = string("dataset.lid.test-image-dir",
                "Folder of the test images <image_id>.JPEG.", "LID_track1/test");
    }

    /** How pretrained weights enter the networks of every stage. */
    public static final class Model {
        public static final Param<Boolean> PRETRAINED_STRICT = bool("model.pretrained-strict",
                "PyTorch (torchvision/timm) weights: refuse a copy unless every backbone parameter of the network is "
                        + "in the file in the right shape and every backbone key of the file is used (the error "
                        + "names the missing keys); a checkpoint's own classification head (fc) is never copied "
                        + "into a new task head. false = copy what matches and report the rest.", true);
    }

    /** Stage 1: the multi-label classifier (train-classifier). */
    public static final class Classifier {
        public static final Param<String> NETWORK = oneOf("classifier.network",
                "Backbone: 'small' (a dilated CNN that trains on 2 CPU cores in minutes); 'resnet50' or "
                        + "'resnet101' (dilated ResNets in torchvision's layout, for torchvision/timm ImageNet weights, "
                        + "GPU clusters); 'resnet50-zoo' (dilated ResNet-50 in the Keras/Caffe layout of DL4J's zoo, "
                        + "for its weights).", "small", "small", "resnet50", "resnet101", "resnet50-zoo");
        public static final Param<Integer> OUTPUT_STRIDE = intOneOf("classifier.output-stride",
                "Output stride of the ResNet features (8 or 16); the small net always has stride 8.", 16, 8, 16);
        public static final Param<String> PRETRAINED = string("classifier.pretrained",
                "Optional weights file for the backbone, on any Hadoop file system (read once by the driver): a DL4J "
                        + "model zip copied by layer name (the DL4J zoo's ResNet-50, builder or Keras names, into the "
                        + "zoo-layout resnet50-zoo; or a model of ours), or PyTorch weights (safetensors or a .pth/.pt "
                        + "state_dict, torchvision/timm key names, into resnet50/resnet101 under "
                        + "model.pretrained-strict). The "
                        + "model records the input normalisation its weights expect (zoo: Caffe-style BGR minus "
                        + "mean; else torchvision) and every later stage feeds it so. Empty = random "
                        + "initialisation. Nothing is downloaded.", "");
        public static final Param<Boolean> FREEZE_BN = bool("classifier.freeze-bn",
                "Freeze every batch norm: normalise with its running statistics in training too and update neither "
                        + "them nor gamma/beta (irn/DeepLab with small batches per worker; for pretrained weights).",
                false);
        public static final Param<Integer> INPUT_SIZE = intRange("classifier.input-size",
                "Side of the square training crop in pixels.", 96, 32, 2048);
        public static final Param<Integer> EPOCHS = intRange("classifier.epochs", "Training epochs.", 12, 1, 10_000);
        public static final Param<Integer> BATCH_SIZE = intRange("classifier.batch-size",
                "Minibatch size per worker.", 16, 1, 4096);
        public static final Param<Integer> AVERAGING_FREQUENCY = intRange("classifier.averaging-frequency",
                "Minibatches each worker fits between two synchronous parameter averagings.", 2, 1, 10_000);
        public static final Param<Integer> WORKERS = intRange("classifier.workers",
                "Parallel training workers (Spark tasks per averaging round); 0 = Spark's default parallelism.",
                0, 0, 100_000);
        public static final Param<String> OPTIMIZER = oneOf("classifier.optimizer",
                "'sgd' (Nesterov momentum, poly learning-rate decay) or 'adam'.", "adam", "sgd", "adam");
        public static final Param<Double> LEARNING_RATE = positive("classifier.learning-rate",
                "Base learning rate of the backbone (the head gets head-lr-multiplier times it).", 3e-3);
        public static final Param<Double> MOMENTUM = doubleRange("classifier.momentum",
                "Momentum for sgd.", 0.9, 0.0, 0.999);
        public static final Param<Double> WEIGHT_DECAY = doubleRange("classifier.weight-decay",
                "Weight decay on weights (psa/irn: 5e-4).", 5e-4, 0.0, 1.0);
        public static final Param<Double> POLY_POWER = doubleRange("classifier.poly-power",
                "Power of the poly decay lr * (1 - step/steps)^power applied per averaging round; 0 = constant.",
                0.9, 0.0, 10.0);
        public static final Param<Double> HEAD_LR_MULTIPLIER = positive("classifier.head-lr-multiplier",
                "Learning-rate factor of the new layers (the classifier head); psa/irn use 10 when fine-tuning a "
                        + "pretrained ResNet with sgd (conf/cluster.conf), 1 suits the small net trained from scratch.",
                1.0);
        public static final Param<Double> HOLDOUT_FRACTION = doubleRange("classifier.holdout-fraction",
                "Share of the train split held out (by a hash of image_id) for the per-epoch loss and F1.",
                0.1, 0.0, 0.9);
        public static final Param<String> SELECT = oneOf("classifier.select",
                "Which epoch becomes model.zip: 'last' (the last one; the poly decay ends there, and the holdout F1 "
                        + "reported is then an unbiased estimate) or 'holdout' (the best holdout micro-F1; the F1 "
                        + "reported is then the one it was chosen on, optimistic).", "last", "last", "holdout");
        public static final Param<String> BALANCE = oneOf("classifier.balance",
                "Class balancing per epoch: 'none', 'down' (downsample images of frequent classes to the target) "
                        + "or 'up' (repeat images of rare classes up to the target).", "none", "none", "down", "up");
        public static final Param<Integer> BALANCE_TARGET = intRange("classifier.balance-target",
                "Images per class that balancing aims at; 0 = the median class count.", 0, 0, Integer.MAX_VALUE);
        public static final Param<List<String>> EXCLUDE_CLASSES = strings("classifier.exclude-classes",
                "Classes left out of the classifier's targets (the LID solution drops 'person', a dominant, "
                        + "often unlabelled class).", List.of());
        public static final Param<List<String>> ONLY_CLASSES = strings("classifier.only-classes",
                "Train the classifier on these classes alone, every other class left out of its targets: "
                        + "NoPeopleAllowed's separate model for an excluded class, trained in a run of its own over "
                        + "the same dataset and given to the main run as cam.excluded-class-model. Empty = every "
                        + "class not in classifier.exclude-classes.", List.of());
        public static final Param<Double> THRESHOLD = doubleRange("classifier.threshold",
                "Score above which a class counts as predicted (held-out F1, and CAM classes of unlabelled images).",
                0.5, 0.0, 1.0);
        public static final Param<Long> SEED = longAny("classifier.seed",
                "Seed of initialisation, epoch order and augmentation.", 1L);
        public static final Param<Double> MIN_CROP_AREA = doubleRange("classifier.min-crop-area",
                "With classifier.augment: 0 = rescale the long side and crop (psa); in (0, 1] = a random resized crop "
                        + "(a window of at least this share of the image's area, aspect 3/4 to 4/3, resized to the "
                        + "input size), the augmentation real photos need.", 0.0, 0.0, 1.0);
        public static final Param<String> LOSS = oneOf("classifier.loss",
                "'balanced': sigmoid cross-entropy with each class's positive term weighted by its negatives / "
                        + "positives among the training tags (at most classifier.max-positive-weight), so answering "
                        + "'no class' everywhere is no longer the cheap optimum; 'plain': unweighted (DL4J's binary "
                        + "cross-entropy).", "balanced", "balanced", "plain");
        public static final Param<Double> MAX_POSITIVE_WEIGHT = doubleRange("classifier.max-positive-weight",
                "Cap on a class's positive weight under classifier.loss = balanced (a class on 1 image in 1,000 "
                        + "would otherwise weigh 999).", 20.0, 1.0, 1_000.0);
        public static final Param<Double> FOCAL_GAMMA = doubleRange("classifier.focal-gamma",
                "Focal exponent gamma: each term is scaled by (1 - p_true)^gamma, discounting images the net "
                        + "already gets right; 0 = no focal term.", 0.0, 0.0, 10.0);
        public static final Param<Integer> COLLAPSE_EPOCHS = intRange("classifier.collapse-epochs",
                "The run is flagged as collapsed (a 'classifier.collapse' warning in the log and metrics.json) when "
                        + "its last this many epochs (all of them in a shorter run) score a holdout micro-F1 no better "
                        + "than predicting every class for every image.", 3, 1, 10_000);
        public static final Param<Double> UNDERFIT_RATIO = doubleRange("classifier.underfit-ratio",
                "The run is flagged as underfit (a 'classifier.underfit' warning in the log and metrics.json) when "
                        + "its last epoch's train loss is above this share of the loss of the best constant answer "
                        + "(one score per class for every image, under the same loss and tags): the net barely fits "
                        + "its own training images, and more epochs are the first thing to try; 0 = never.", 0.9, 0.0,
                1.0);
        public static final Param<Boolean> AUGMENT = bool("classifier.augment",
                "Augment training crops: horizontal flip, random resize of the long side (0.9-1.5x the crop) and "
                        + "crop, colour jitter 0.3.", true);
    }

    /** Stage 1: class activation maps (make-cams, eval-cams). */
    public static final class Cam {
        public static final Param<String> EXCLUDED_CLASS_MODEL = string("cam.excluded-class-model",
                "Optional: a train-classifier model.zip trained on the classes of classifier.exclude-classes (a run "
                        + "with classifier.only-classes; any Hadoop file system). make-cams then takes those classes' "
                        + "CAMs from it for the images tagged with them, so their pixels are labelled instead of "
                        + "ignored. Empty = excluded classes get no CAMs.", "");
        public static final Param<List<Double>> SCALES = doubles("cam.scales",
                "Input scales whose CAMs are summed (psa/irn: 1.0, 0.5, 1.5, 2.0; conf/cluster.conf). The local default "
                        + "leaves out 2.0, which costs more than the other three together on CPU.",
                List.of(1.0, 0.5, 1.5),
                v -> !v.isEmpty() && v.stream().allMatch(x -> x > 0 && x <= 8), "a non-empty list of numbers in (0, 8]");
        public static final Param<Boolean> FLIP = bool("cam.flip",
                "Also run the horizontally flipped image and add its flipped-back CAM.", true);
        public static final Param<Integer> SAMPLE_HEATMAPS = intRange("cam.sample-heatmaps",
                "Number of images (first by image_id) whose CAMs are also written as PNG heatmaps.", 12, 0, 100_000);
        public static final Param<List<Double>> EVAL_THRESHOLDS = doubles("cam.eval-thresholds",
                "Constant background scores swept by eval-cams (irn's default 0.15 is inside the default sweep); "
                        + "the best mIoU is reported.",
                List.of(0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9),
                v -> !v.isEmpty() && v.stream().allMatch(x -> x >= 0 && x <= 1), "a non-empty list in [0, 1]");
        public static final Param<List<String>> EVAL_SPLITS = stringsOf("cam.eval-splits",
                "Splits evaluated by eval-cams (images with a ground-truth mask).", List.of("train", "val"),
                "train", "val");
    }

    /** Stage 2: confident regions, AffinityNet (make-affinity-labels, train-affinity). */
    public static final class Affinity {
        public static final Param<String> METHOD = oneOf("affinity.method",
                "How the CAMs are propagated: 'psa' (AffinityNet: affinities from a trained feature map, psa's walk; "
                        + "affinity.*, walk.*) or 'irn' (IRNet: a class-boundary branch and a displacement-field "
                        + "branch trained on the classifier's frozen backbone levels from the same confident regions, "
                        + "affinities from the boundary map, irn's walk; irn.*, affinity.* for training, "
                        + "affinity.output-stride 4).", "psa", "psa", "irn");
        public static final Param<String> LABEL_MODE = oneOf("affinity.label-mode",
                "How confident regions are mined from CAMs: 'psa' (two background powers) or 'irn' (two constant "
                        + "background scores). The local default is irn: the small net's CAMs are diffuse (eval-cams finds "
                        + "the best background near 0.8), and constant scores say where the cut lies directly; "
                        + "conf/cluster.conf uses psa.", "irn", "psa", "irn");
        public static final Param<Double> FG_POWER = positive("affinity.fg-power",
                "psa: power alpha of the background score (1 - max CAM)^alpha in the confident-foreground pass.", 4.0);
        public static final Param<Double> BG_POWER = positive("affinity.bg-power",
                "psa: power alpha in the confident-background pass (psa: 24 to 32).", 24.0);
        public static final Param<Double> FG_THRESHOLD = doubleRange("affinity.fg-threshold",
                "irn: constant background score of the confident-foreground pass (irn: 0.30; the small net's "
                        + "diffuse CAMs need about 0.9).", 0.9, 0.0, 1.0);
        public static final Param<Double> BG_THRESHOLD = doubleRange("affinity.bg-threshold",
                "irn: constant background score of the confident-background pass (irn: 0.05; the small net's "
                        + "diffuse CAMs need about 0.6).", 0.6, 0.0, 1.0);
        public static final Param<Boolean> CRF = bool("affinity.crf",
                "psa's confident-region mining with a dense CRF: each pass's [background, CAMs] scores are refined "
                        + "at image resolution before the argmax, then brought to the feature grid (crf.* keys). On the "
                        + "demo it lifts the walk's pseudo-labels from 0.35 to 0.50 mIoU (walk.crf off).", true);
        public static final Param<Double> MIN_CLASSIFIER_SCORE = doubleRange("affinity.min-classifier-score",
                "Only images whose labelled classes all score at least this go to AffinityNet training (the LID "
                        + "solution uses 0.8); 0 = every image.", 0.0, 0.0, 1.0);
        public static final Param<Double> MAX_MISSING_CLASS_FRACTION = doubleRange(
                "affinity.max-missing-class-fraction",
                "make-affinity-labels warns (affinity.labels-collapse, in its log and metrics.json) when more than "
                        + "this fraction of the images' tagged classes keep no confident cell: AffinityNet then sees "
                        + "no pair inside those objects and the walk returns background for them. A warning only. "
                        + "Affinity is class-agnostic, so the walk works while some tags keep cells: on the held-out "
                        + "synthetic VOC set 86% of the tags keep none and the walk still lifts CAMs 0.38 -> 0.70; "
                        + "the default warns when fewer than one tag in twenty keeps any.",
                0.95, 0.0, 1.0);
        public static final Param<Integer> RADIUS = intRange("affinity.radius",
                "Pairs (i, j) with 0 < |p_i - p_j|^2 < radius^2 on the feature grid are trained (psa: 5).", 5, 2, 16);
        public static final Param<Integer> OUTPUT_STRIDE = intOneOf("affinity.output-stride",
                "Stride of AffinityNet's features, the grid of the affinity labels and of the random walk (psa: 8, "
                        + "conf/cluster.conf). At 4 the backbone's stride-4 level joins the deeper ones (upsampled "
                        + "bilinearly), as in irn; the small net's 12x12 stride-8 grid of a 96 px image is too coarse "
                        + "for the walk to sharpen boundaries. affinity.input-size must then be a multiple of the "
                        + "backbone's output stride.", 4, 4, 8, 16);
        public static final Param<Integer> INPUT_SIZE = intRange("affinity.input-size",
                "AffinityNet input side in pixels; images and label maps are resized to it.", 96, 32, 2048);
        public static final Param<Integer> EPOCHS = intRange("affinity.epochs",
                "AffinityNet training epochs (one takes about 20 s on the local demo).", 4, 1, 10_000);
        public static final Param<Integer> BATCH_SIZE = intRange("affinity.batch-size",
                "Minibatch size per worker.", 8, 1, 4096);
        public static final Param<Integer> AVERAGING_FREQUENCY = intRange("affinity.averaging-frequency",
                "Minibatches each worker fits between two parameter averagings.", 2, 1, 10_000);
        public static final Param<Integer> WORKERS = intRange("affinity.workers",
                "Parallel training workers; 0 = Spark's default parallelism.", 0, 0, 100_000);
        public static final Param<String> OPTIMIZER = oneOf("affinity.optimizer",
                "'sgd' (Nesterov momentum) or 'adam'.", "adam", "sgd", "adam");
        public static final Param<Double> LEARNING_RATE = positive("affinity.learning-rate",
                "Base learning rate.", 1e-3);
        public static final Param<Double> WEIGHT_DECAY = doubleRange("affinity.weight-decay",
                "Weight decay on weights.", 5e-4, 0.0, 1.0);
        public static final Param<Double> POLY_POWER = doubleRange("affinity.poly-power",
                "Power of the poly learning-rate decay per averaging round; 0 = constant.", 0.9, 0.0, 10.0);
        public static final Param<Long> SEED = longAny("affinity.seed", "Seed of initialisation and order.", 1L);
        public static final Param<String> PRETRAINED = string("affinity.pretrained",
                "Optional weights file for AffinityNet's backbone (psa starts it from the ImageNet weights, not from "
                        + "the classifier), as classifier.pretrained. Empty = random initialisation.", "");
        public static final Param<Boolean> FREEZE_BN = bool("affinity.freeze-bn",
                "Freeze AffinityNet's batch norms, as classifier.freeze-bn.", false);
        public static final Param<Double> HEAD_LR_MULTIPLIER = positive("affinity.head-lr-multiplier",
                "Learning-rate factor of AffinityNet's new layers over the backbone's (psa: 10 with sgd from "
                        + "ImageNet weights).", 1.0);
    }

    /**
     * IRNet (affinity.method = irn): its training (the other training keys are affinity.*'s) and its walk. Where
     * the small local net needs other values than irn's, the default is the one measured best on the demo and the
     * doc names irn's (conf/cluster.conf sets them).
     */
    public static final class Irn {
        public static final Param<Integer> RADIUS = intRange("irn.radius",
                "Training pairs (i, j) with 0 < |p_i - p_j|^2 < radius^2 on the stride-4 grid, for the boundary "
                        + "affinities and the displacements (irn: 10).", 10, 2, 32);
        public static final Param<Integer> EPOCHS = intRange("irn.epochs",
                "IRNet training epochs, in place of affinity.epochs (irn: 3 over VOC's 10,582 images; the demo's "
                        + "315 images need 8).", 8, 1, 10_000);
        public static final Param<Double> LEARNING_RATE = positive("irn.learning-rate",
                "IRNet's base learning rate, in place of affinity.learning-rate (irn: 0.1 with sgd; 5e-3 with the "
                        + "local default adam).", 5e-3);
        public static final Param<Integer> WALK_RADIUS = intRange("irn.walk-radius",
                "Neighbourhood radius of IRNet's walk (irn: 5).", 5, 2, 16);
        public static final Param<Double> BETA = positive("irn.beta",
                "Power of the boundary affinities in the walk (irn: 10).", 10.0);
        public static final Param<Integer> STEPS = intRange("irn.steps",
                "Walk steps (irn: 2^8 = 256, the transition matrix squared 8 times; on the demo's 24x24 grids 256 "
                        + "steps spread the classes over the background: 0.41 pseudo-label mIoU, 32 steps 0.63).", 32,
                0, 100_000);
        public static final Param<Double> BG_SCORE = doubleRange("irn.bg-score",
                "Constant background score against the walked class maps divided by their global maximum (irn: "
                        + "0.25; the small net's diffuse CAMs need 0.8).", 0.8, 0.0, 1.0);
    }

    /** Stage 2: the random walk that propagates CAMs into pseudo-labels (random-walk, eval-labels). */
    public static final class Walk {
        public static final Param<Double> BG_POWER = positive("walk.bg-power",
                "Background row of the walk: (1 - max_c CAM_c)^alpha (psa: 16, conf/cluster.conf). The small net's "
                        + "diffuse CAMs need a far weaker background: 0.25 measured best on the demo.", 0.25);
        public static final Param<String> BACKGROUND = oneOf("walk.background",
                "How background competes with the classes: 'power' (psa: the row (1 - max_c CAM_c)^walk.bg-power is "
                        + "walked with the CAMs) or 'constant' (irn: the class maps are walked alone, each divided by "
                        + "its maximum, and a constant walk.bg-score is the background).", "power", "power", "constant");
        public static final Param<Double> BG_SCORE = doubleRange("walk.bg-score",
                "walk.background = constant: the background score against the max-normalised walked maps (irn: 0.25).",
                0.25, 0.0, 1.0);
        public static final Param<Double> BETA = positive("walk.beta",
                "Power of the affinities, W = A^beta (psa: 8; irn: 10).", 8.0);
        public static final Param<Integer> STEPS = intRange("walk.steps",
                "Walk steps t: maps . T^t (psa: 256, conf/cluster.conf; 32 measured best on the small demo grids). "
                        + "0 skips the walk: the CAMs on the walk's grid go straight to the argmax (or the CRF), "
                        + "the ablation that shows what the walk adds.",
                32, 0, 100_000);
        public static final Param<Integer> RADIUS = intRange("walk.radius",
                "Neighbourhood radius of the walk (psa: 5).", 5, 2, 16);
        public static final Param<Integer> THREADS = intRange("walk.threads",
                "Threads of one image's walk inside a task (tasks already run in parallel).", 1, 1, 256);
        public static final Param<Boolean> CRF = bool("walk.crf",
                "Refine the walk's upsampled maps (normalised per pixel) with a dense CRF before the argmax (crf.* keys; "
                        + "psa's CAM+RW+dCRF labels).", true);
        public static final Param<Boolean> WRITE_PNG = bool("walk.write-png",
                "Also write every pseudo-label as a VOC-palette PNG under random-walk/png/.", true);
    }

    /** Stage 3: the segmentation network (train-segmentation). */
    public static final class Train {
        public static final Param<String> METHOD = oneOf("train.method",
                "How the segmentation net learns: 'softmax' (per-pixel class scores: pixel cross-entropy, with PDML's "
                        + "triplet loss and extension on points) or 'segsort' (SegSort: unit pixel embeddings sorted "
                        + "into segments per image and trained by the segment sorting loss, segsort.* keys; from "
                        + "pseudo-labels, masks, points, or unsupervised; predict with predict.method = knn after "
                        + "make-prototypes), or 'spml' (SPML: the SegSort embedding trained by the semantic annotation, "
                        + "co-occurrence and image-similarity contrastive terms, spml.* keys, from any "
                        + "train.supervision; SLIC superpixels as segsort.superpixels says).", "softmax", "softmax",
                "segsort", "spml");
        public static final Param<String> SUPERVISION = oneOf("train.supervision",
                "What the segmentation net learns from: 'pseudo-labels' or its alias 'tags' (random-walk's labels "
                        + "from the image tags, pixel cross-entropy ignoring 255), 'points' (PDML: point-wise cross-entropy, triplet loss on the points' "
                        + "embeddings across images, online extension), 'both', or 'masks' (the train split's own "
                        + "ground-truth masks: the fully supervised baseline a weakly supervised method is compared "
                        + "with; images without a mask are left out), or 'unsupervised' (train.method = segsort "
                        + "only: no labels, every train image's own SLIC superpixels, segsort.superpixels; "
                        + "make-prototypes labels the learnt segments by segsort.prototype-labels), 'boxes' (each "
                        + "image's boxes filled: inside a box its class, the smallest box where boxes overlap, "
                        + "background outside every box; dataset.boxes or the VOC XML), or 'scribbles' (the "
                        + "dataset.scribbles labels, 255 elsewhere ignored; SegSort labels each cluster by its "
                        + "scribbles, as with points).",
                "pseudo-labels", "pseudo-labels", "tags", "points", "both", "masks", "unsupervised", "boxes",
                "scribbles");
        public static final Param<String> POINTS_SOURCE = oneOf("train.points-source",
                "Where training points come from: 'manifest' (dataset.points, or the synthetic generator's one point "
                        + "per instance) or 'gt-sample' (one point per connected region of each class, sampled from "
                        + "the ground-truth masks; for experiments).", "manifest", "manifest", "gt-sample");
        public static final Param<String> NETWORK = oneOf("train.network",
                "'small' (the small dilated CNN + 1x1 heads, for CPU) or 'deeplab' (dilated ResNet-50 + ASPP).",
                "small", "small", "deeplab");
        public static final Param<Integer> OUTPUT_STRIDE = intOneOf("train.output-stride",
                "Stride of the score grid. 4: a DeepLab v3+ decoder joins the backbone's stride-4 level to its "
                        + "deep features (small net: stride 8; deeplab: ResNet-50 at 16), which thin and small "
                        + "objects need; 8: the small net's or a dilated ResNet-50's own features; 16: deeplab only. "
                        + "train.input-size must be a multiple of the backbone's stride (8 small, 16 deeplab at 4 "
                        + "or 16).", 4, 4, 8, 16);
        public static final Param<String> INIT = string("train.init",
                "Backbone initialisation: 'classifier' (the train-classifier model, layers copied by name, as psa "
                        + "starts from its ImageNet weights), 'pretrained' (the file train.pretrained), 'scratch', "
                        + "or a local DL4J model zip copied by layer name.", "classifier");
        public static final Param<Integer> INPUT_SIZE = intRange("train.input-size",
                "Side of the square training crop in pixels (images are resized to it, labels by nearest).",
                96, 32, 2048);
        public static final Param<String> SELECT = oneOf("train.select",
                "Which epoch becomes model.zip: 'last' (the last one, as psa and PDML's reference code keep it; the "
                        + "poly decay ends there) or 'holdout' (the best mIoU on a held-out slice of the train split, "
                        + "train.holdout-fraction, scored against its own training targets, pseudo-labels or points, "
                        + "and not trained on). The val split is never used to choose: evaluate reports it.",
                "last", "last", "holdout");
        public static final Param<Double> HOLDOUT_FRACTION = doubleRange("train.holdout-fraction",
                "With train.select = holdout: share of the train split held out (by a hash of image_id) to choose "
                        + "the epoch.", 0.1, 0.01, 0.9);
        public static final Param<Integer> EPOCHS = intRange("train.epochs",
                "Training epochs (the local demo: 8, its val mIoU levels off by then).", 8, 1, 10_000);
        public static final Param<Integer> BATCH_SIZE = intRange("train.batch-size",
                "Minibatch size per worker; the triplet loss pairs points across the images of one minibatch, so "
                        + "points supervision needs at least 2.", 8, 1, 4096);
        public static final Param<Integer> AVERAGING_FREQUENCY = intRange("train.averaging-frequency",
                "Minibatches each worker fits between two synchronous parameter averagings.", 2, 1, 10_000);
        public static final Param<Integer> WORKERS = intRange("train.workers",
                "Parallel training workers; 0 = Spark's default parallelism.", 0, 0, 100_000);
        public static final Param<String> OPTIMIZER = oneOf("train.optimizer",
                "'sgd' (momentum, PDML's recipe) or 'adam'.", "sgd", "sgd", "adam");
        public static final Param<Double> LEARNING_RATE = positive("train.learning-rate",
                "Base learning rate of the backbone.", 1e-2);
        public static final Param<Double> MOMENTUM = doubleRange("train.momentum", "Momentum for sgd (PDML: 0.9).",
                0.9, 0.0, 0.999);
        public static final Param<Double> WEIGHT_DECAY = doubleRange("train.weight-decay",
                "Weight decay on weights (PDML: 5e-4).", 5e-4, 0.0, 1.0);
        public static final Param<Double> POLY_POWER = doubleRange("train.poly-power",
                "Power of the poly learning-rate decay per averaging round (PDML: 0.8); 0 = constant.", 0.8, 0.0,
                10.0);
        public static final Param<Double> HEAD_LR_MULTIPLIER = positive("train.head-lr-multiplier",
                "Learning-rate factor of the classifier and embedding heads (PDML: 10).", 10.0);
        public static final Param<List<Double>> RANDOM_SCALE = doubles("train.random-scale",
                "Range [min, max] of the random rescaling of each training example before it is cropped or padded "
                        + "back to the input size (DeepLab: 0.5-1.5), so the net knows the object sizes that "
                        + "predict.scales show it; [1, 1] = off.", List.of(0.5, 1.5),
                v -> v.size() == 2 && v.get(0) > 0 && v.get(0) <= v.get(1) && v.get(1) <= 4,
                "two numbers 0 < min <= max <= 4");
        public static final Param<Boolean> TRIPLET = bool("train.triplet",
                "points/both: add PDML's cross-image triplet loss on the points' embeddings.", true);
        public static final Param<Double> TRIPLET_MARGIN = positive("train.triplet-margin",
                "Triplet margin m (PDML: 20).", 20.0);
        public static final Param<Double> TRIPLET_ALPHA = doubleRange("train.triplet-alpha",
                "Weight of the anchor-positive distance term (PDML: 0.8).", 0.8, 0.0, 1000.0);
        public static final Param<Double> TRIPLET_BETA = doubleRange("train.triplet-beta",
                "Weight of the hinge term (PDML: 1).", 1.0, 0.0, 1000.0);
        public static final Param<Boolean> EXTENSION = bool("train.extension",
                "points/both: PDML's online label extension, recomputed from the current net each epoch.", true);
        public static final Param<Double> EXTENSION_THRESHOLD = doubleRange("train.extension-threshold",
                "Online extension: a pixel joins when its highest class probability exceeds this (PDML: 0.7).",
                0.7, 0.0, 1.0);
        public static final Param<Integer> EXTENSION_WINDOW = oddRange("train.extension-window",
                "Online extension: side of the square around each point, in input pixels (PDML: 5; odd).", 5, 1,
                255);
        public static final Param<Long> SEED = longAny("train.seed", "Seed of initialisation, order and flips.", 1L);
        public static final Param<String> PRETRAINED = string("train.pretrained",
                "Weights file for the backbone when train.init = pretrained (DeepLab from ImageNet weights), as "
                        + "classifier.pretrained.", "");
        public static final Param<Boolean> FREEZE_BN = bool("train.freeze-bn",
                "Freeze the segmentation net's batch norms, as classifier.freeze-bn.", false);
    }

    /** Stage 3 with train.method = segsort: SegSort's pixel and segment sorting (train-segmentation, make-prototypes, predict). */
    public static final class SegSort {
        public static final Param<Double> CONCENTRATION = doubleRange("segsort.concentration",
                "Concentration kappa of the von Mises-Fisher components in the segment sorting loss (SegSort: 10).",
                10.0, 0.01, 1000.0);
        public static final Param<Integer> GRID_SIDE = intRange("segsort.grid-side",
                "Pixel sorting starts each image from a grid of this many blocks per side (SegSort's num_clusters: 5, "
                        + "so 25 starting clusters); used in training, make-prototypes and predict.", 5, 1, 64);
        public static final Param<Integer> KMEANS_ITERATIONS = intRange("segsort.kmeans-iterations",
                "Spherical k-means iterations of pixel sorting (SegSort: 10).", 10, 0, 1000);
        public static final Param<Integer> MEMORY_BANKS = intRange("segsort.memory-banks",
                "Earlier minibatches whose segment prototypes each worker keeps as extra prototypes in the loss "
                        + "(SegSort: 2). A worker's banks last one averaging round (train.averaging-frequency "
                        + "minibatches): DL4J rebuilds the worker's net every round.", 2, 0, 64);
        public static final Param<Integer> SUPERPIXELS = intRange("segsort.superpixels",
                "train.supervision = unsupervised: SLIC superpixels per training example (its starting grid; the "
                        + "unsupervised loss pulls each pixel towards its own superpixel's segments). SegSort used "
                        + "HED contours + OWT-UCM, which need a trained edge net.", 25, 1, 63);
        public static final Param<Double> SUPERPIXEL_COMPACTNESS = doubleRange("segsort.superpixel-compactness",
                "train.supervision = unsupervised: SLIC's compactness, as the colour difference (in standard "
                        + "deviations of the image's colours) that costs as much as one grid step of distance; "
                        + "smaller follows colour edges more, larger gives squarer superpixels.", 0.5, 0.01, 100.0);
        public static final Param<String> PROTOTYPE_LABELS = oneOf("segsort.prototype-labels",
                "train.supervision = unsupervised: what labels the training segments make-prototypes keeps for "
                        + "retrieval: 'pseudo-labels' (random-walk's: weakly supervised end to end) or 'masks' (the "
                        + "train split's ground truth, as SegSort evaluates its unsupervised embedding). Any other "
                        + "supervision labels them by what it trained on.", "pseudo-labels", "pseudo-labels",
                "masks");
    }

    /**
     * SPML's contrastive terms (train.method = spml). By default each run takes the public code's settings for its
     * train.supervision; spml.preset = keys uses the term keys below instead.
     */
    public static final class Spml {
        public static final Param<String> PRESET = oneOf("spml.preset",
                "Where SPML's term concentrations and weights come from: 'by-supervision' (the public code's VOC "
                        + "settings for the run's train.supervision: tags, pseudo-labels, boxes and masks take "
                        + "annotation 6/0.3, co-occurrence 8/0.3, image similarity 16/0.1; scribbles 6/1.0, 12/0.5, "
                        + "16/0.1; points 6/0.1, 8/0.1, 16/0.1; feature affinity off in all), one of those forms by "
                        + "name ('tags', 'boxes', 'scribbles', 'points'), or 'keys' (the spml.*-concentration, "
                        + "spml.*-weight and spml.affinity-threshold keys; setting any of them needs 'keys').",
                "by-supervision", "by-supervision", "tags", "boxes", "scribbles", "points", "keys");
        public static final Param<Double> ANNOTATION_CONCENTRATION = doubleRange("spml.annotation-concentration",
                "spml.preset = keys: concentration of the semantic annotation term (labelled pixels against "
                        + "segments of their label; SPML for tags: 6).", 6.0, 0.01, 1000.0);
        public static final Param<Double> ANNOTATION_WEIGHT = doubleRange("spml.annotation-weight",
                "spml.preset = keys: weight of the semantic annotation term (SPML for tags: 0.3; 0 turns it off).",
                0.3, 0.0, 100.0);
        public static final Param<Double> COOCCURRENCE_CONCENTRATION = doubleRange("spml.cooccurrence-concentration",
                "spml.preset = keys: concentration of the semantic co-occurrence term (every pixel against the "
                        + "segments of images sharing a tag with its own; SPML for tags: 8).", 8.0, 0.01, 1000.0);
        public static final Param<Double> COOCCURRENCE_WEIGHT = doubleRange("spml.cooccurrence-weight",
                "spml.preset = keys: weight of the semantic co-occurrence term (SPML for tags: 0.3; 0 turns it off).",
                0.3, 0.0, 100.0);
        public static final Param<Double> SIMILARITY_CONCENTRATION = doubleRange("spml.similarity-concentration",
                "spml.preset = keys: concentration of the low-level image similarity term (every pixel against its "
                        + "own image's segments, those of its superpixel related; SPML: 16).", 16.0, 0.01, 1000.0);
        public static final Param<Double> SIMILARITY_WEIGHT = doubleRange("spml.similarity-weight",
                "spml.preset = keys: weight of the low-level image similarity term (SPML: 0.1; 0 turns it off).",
                0.1, 0.0, 100.0);
        public static final Param<Double> AFFINITY_CONCENTRATION = doubleRange("spml.affinity-concentration",
                "spml.preset = keys: concentration of the feature affinity term (each unlabelled segment labelled "
                        + "by its image's nearest labelled segment, then scored as an annotated one; SPML's DensePose "
                        + "setting: 12).", 12.0, 0.01, 1000.0);
        public static final Param<Double> AFFINITY_WEIGHT = doubleRange("spml.affinity-weight",
                "spml.preset = keys: weight of the feature affinity term (0, off, in every published VOC setting; "
                        + "SPML's DensePose points: 0.5).", 0.0, 0.0, 100.0);
        public static final Param<Double> AFFINITY_THRESHOLD = doubleRange("spml.affinity-threshold",
                "spml.preset = keys: the cosine between an unlabelled segment's prototype and its nearest labelled "
                        + "one from which feature affinity labels it (SPML: 0.95).", 0.95, -1.0, 1.0);

        /** The term keys spml.preset = keys reads. */
        public static final List<Param<Double>> TERM_KEYS = List.of(ANNOTATION_CONCENTRATION, ANNOTATION_WEIGHT,
                COOCCURRENCE_CONCENTRATION, COOCCURRENCE_WEIGHT, SIMILARITY_CONCENTRATION, SIMILARITY_WEIGHT,
                AFFINITY_CONCENTRATION, AFFINITY_WEIGHT, AFFINITY_THRESHOLD);
    }

    /** Stage 3: test-time-augmented prediction (predict, evaluate). */
    public static final class Predict {
        public static final Param<String> METHOD = oneOf("predict.method",
                "'softmax' (the class scores, test-time scales and flips, optional CRF) or 'knn' (SegSort's "
                        + "retrieval, for train.method = segsort: each image's embedding sorted into segments, each "
                        + "segment labelled by the majority of its predict.knn-k nearest training prototypes from "
                        + "make-prototypes; single scale, no CRF) or 'softmax-on-embedding' (for train.method = "
                        + "segsort, SPML's last step: a softmax classifier fitted on make-prototypes' table, each "
                        + "pixel's unit embedding scored by it, then the test-time scales, flips and CRF as "
                        + "'softmax').", "softmax", "softmax", "knn", "softmax-on-embedding");
        public static final Param<Integer> KNN_K = intRange("predict.knn-k",
                "predict.method = knn: nearest training prototypes that vote on a segment's label (SegSort: 15).",
                15, 1, 1000);
        public static final Param<Integer> KNN_BROADCAST_MB = intRange("predict.knn-broadcast-mb",
                "predict.method = knn: a prototype table up to this size (MB as searched, 8 bytes per vector value) "
                        + "is broadcast to every "
                        + "task; a larger one is searched partition by partition (each image's segments against "
                        + "every partition of the table, the k best merged per segment).", 256, 0, 1_000_000);
        public static final Param<Integer> EMBEDDING_CLASSIFIER_ITERATIONS = intRange(
                "predict.embedding-classifier-iterations",
                "predict.method = softmax-on-embedding: full-batch Adam steps (learning rate 0.05, L2 1e-4) of the "
                        + "softmax classifier fitted on the prototype table (at most 200,000 prototypes, a seeded "
                        + "sample of a larger table).", 300, 1, 100_000);
        public static final Param<List<Double>> SCALES = doubles("predict.scales",
                "Test-time scales of the input (NoPeopleAllowed: 0.5, 1, 2).", List.of(0.5, 1.0, 2.0),
                v -> !v.isEmpty() && v.stream().allMatch(x -> x > 0 && x <= 8), "a non-empty list of numbers in (0, 8]");
        public static final Param<Boolean> FLIP = bool("predict.flip",
                "Also predict on the horizontally flipped image at every scale and average.", true);
        public static final Param<Boolean> CRF = bool("predict.crf",
                "Refine the averaged probabilities with a dense CRF before the argmax (crf.* keys), as DeepLab does "
                        + "after its net: on the demo it lifts val mIoU from 0.47 to 0.64 (boundaries of the stride-8 "
                        + "scores upsampled bilinearly are blurred; the CRF snaps them to colour edges).", true);
        public static final Param<String> CRF_PRESET = oneOf("predict.crf-preset",
                "The dense CRF predict refines with (predict.crf): 'psa' (the crf.* keys, as make-affinity-labels "
                        + "and random-walk use them) or 'spml' (SPML's published CRF: 10 iterations, positional "
                        + "weight 3 at 1 px, bilateral weight 4 at 67 px and 3 intensity levels; for train.method = "
                        + "spml with predict.method = softmax-on-embedding).", "psa", "psa", "spml");
        public static final Param<List<String>> SPLITS = stringsOf("predict.splits",
                "Splits to predict; evaluate scores the val split ('test' for export-submission).", List.of("val"),
                "train", "val", "test");
        public static final Param<Boolean> WRITE_PNG = bool("predict.write-png",
                "Also write every prediction as a VOC-palette PNG under predict/png/.", true);
    }

    /** Dense CRF (mean-field, Potts, permutohedral lattice) wherever a stage switches it on. */
    public static final class Crf {
        public static final Param<Double> GAUSSIAN_SXY = positive("crf.gaussian-sxy",
                "Spatial standard deviation (pixels) of the appearance-free smoothness kernel (psa: 3).", 3.0);
        public static final Param<Double> GAUSSIAN_WEIGHT = doubleRange("crf.gaussian-weight",
                "Weight of the smoothness kernel (psa: 3).", 3.0, 0.0, 1000.0);
        public static final Param<Double> BILATERAL_SXY = positive("crf.bilateral-sxy",
                "Spatial standard deviation (pixels) of the bilateral appearance kernel (psa: 80).", 80.0);
        public static final Param<Double> BILATERAL_SRGB = positive("crf.bilateral-srgb",
                "Colour standard deviation of the bilateral kernel (psa: 13).", 13.0);
        public static final Param<Double> BILATERAL_WEIGHT = doubleRange("crf.bilateral-weight",
                "Weight of the bilateral kernel (psa: 10).", 10.0, 0.0, 1000.0);
        public static final Param<Integer> ITERATIONS = intRange("crf.iterations",
                "Mean-field iterations (psa: 10).", 10, 0, 1000);
    }

    /** The ingest stage. */
    public static final class Ingest {
        public static final Param<Integer> PARTITIONS = intRange("ingest.partitions",
                "Spark partitions for reading images; 0 = automatic (about 4 per core, at most 2000 images each).",
                0, 0, 1_000_000);
        public static final Param<Double> MAX_QUARANTINED_FRACTION = doubleRange("ingest.max-quarantined-fraction",
                "Ingest fails, after writing the quarantine table, when more than this fraction of the listed "
                        + "images is quarantined (a wrong dataset.root, format or class list, not a few bad files); "
                        + "1 = never.",
                0.5, 0.0, 1.0);
        // 100 MP admits every camera photo (a 102 MP medium-format frame is 11648x8736, Cityscapes is 2 MP, VOC
        // and COCO under 0.3 MP) and 10000x10000 tiles; decoding one costs about 0.6 GB of heap (0.9 GB at 16 bits
        // per sample). The bound stops a small file that declares a gigapixel canvas; above 715827882 the RGB array
        // of the decoded image cannot exist in Java at all.
        public static final Param<Integer> MAX_PIXELS = intRange("ingest.max-pixels",
                "Most pixels (width x height) an image or mask may declare; a larger one is quarantined from its "
                        + "header, before its pixels are decoded. The default admits any camera photo up to about "
                        + "100 megapixels.",
                100_000_000, 1, Integer.MAX_VALUE / 3);
        public static final Param<Integer> MAX_LONG_SIDE = intRange("ingest.max-long-side",
                "When > 0, an image whose longer side exceeds this many pixels is downscaled on ingest to that "
                        + "long side (area average; JPEG re-encoded at quality 0.95), with its mask (nearest "
                        + "neighbour) and points; later stages, evaluation included, then work at the reduced size. "
                        + "0 = keep every image at its own size.",
                0, 0, 1_000_000);
    }

    /** How jobs start Spark. */
    public static final class Runtime {
        public static final Param<String> LOCAL_MASTER = matching("runtime.local-master",
                "Spark master used when wsss is not started by spark-submit (spark-submit's --master wins).",
                "local[*]", "local(\\[(\\*|[1-9]\\d*)(,\\s*[1-9]\\d*)?])?|local-cluster\\[[1-9]\\d*,\\s*[1-9]\\d*,"
                        + "\\s*[1-9]\\d*]|(spark|k8s|mesos)://\\S+|yarn",
                "local, local[N], local[*], local[N,F] or local[*,F] (N, F >= 1), local-cluster[N,C,M], a "
                        + "spark://, k8s:// or mesos:// URL, or yarn");
        public static final Param<Integer> NATIVE_THREADS = intRange("runtime.native-threads",
                "Threads of ND4J's native (OpenMP) operations per operation when wsss runs Spark locally; Spark "
                        + "already runs one task per core, and more threads per task oversubscribe the cores (on "
                        + "2 cores, 1 thread trains the small net about twice as fast). 0 = ND4J's own default. "
                        + "Under spark-submit set OMP_NUM_THREADS for the executors instead.",
                1, 0, 1024);
        public static final Param<String> CONV = oneOf("runtime.conv",
                "Implementation of every convolution layer the jobs build: 'native' runs libnd4j's conv2d ops "
                        + "(oneDNN kernels on the default CPU build, libnd4j's cuDNN ones on -Pcuda), 'dl4j' DL4J's "
                        + "ConvolutionLayer (im2col + GEMM on every backend). Same parameters, so weights copy "
                        + "between them; a saved model keeps the layers it was trained with.",
                "native", "native", "dl4j");
        public static final Param<Integer> PROGRESS_SECONDS = intRange("runtime.progress-seconds",
                "Interval of progress log lines (partitions done / total, images/s, ETA).", 10, 1, 3600);
        public static final Param<Boolean> LIVE_HEAP = bool("runtime.live-heap",
                "After each stage, wait for ND4J's backlog of arrays to free to drain (full collections while its "
                        + "deallocator threads work, up to 2 minutes), then record the heap in use (metrics.json "
                        + "resources.driver_live_heap, with nd4j_pending_deallocations before and after): the figure "
                        + "that shows whether driver memory grows with the dataset. Costs collection pauses per "
                        + "stage; the scale harness sets it.",
                false);
    }

    private static final List<Class<?>> SECTIONS = List.of(Dataset.class, Synthetic.class, Lid.class,
            Ingest.class, Model.class, Classifier.class, Cam.class, Affinity.class, Irn.class, Walk.class, Train.class, SegSort.class, Spml.class, Predict.class,
            Crf.class,
            Runtime.class);

    private static final List<Param<?>> ALL;
    private static final Map<String, Param<?>> BY_KEY;

    static {
        List<Param<?>> all = new ArrayList<>();
        for (Class<?> section : SECTIONS) {
            for (Field f : section.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Param.class) {
                    try {
                        all.add((Param<?>) f.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        Map<String, Param<?>> byKey = new LinkedHashMap<>();
        for (Param<?> p : all) {
            if (byKey.put(p.key(), p) != null) {
                throw new IllegalStateException("config key declared twice: " + p.key());
            }
        }
        ALL = Collections.unmodifiableList(all);
        BY_KEY = Collections.unmodifiableMap(byKey);
    }

    public static List<Param<?>> all() {
        return ALL;
    }

    public static Param<?> byKey(String key) {
        return BY_KEY.get(key);
    }
}
