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
        public static final Param<List<String>> SPLITS = stringsOf("dataset.splits",
                "Splits to ingest.", List.of("train", "val"), "train", "val");
    }

    /** The built-in synthetic scene generator (dataset.format = synthetic). */
    public static final class Synthetic {
        public static final Param<Integer> COUNT = intRange("dataset.synthetic.count",
                "Number of generated images (train and val together).", 600, 1, 10_000_000);
        public static final Param<Integer> SIZE = intRange("dataset.synthetic.size",
                "Width and height of a generated image in pixels.", 128, 32, 4096);
        public static final Param<Long> SEED = longAny("dataset.synthetic.seed",
                "Seed of the generator: the same seed gives the same images, masks, labels and points.", 7L);
        public static final Param<Double> VAL_FRACTION = doubleRange("dataset.synthetic.val-fraction",
                "Fraction of the generated images put in the val split.", 0.2, 0.0, 1.0);
        public static final Param<Integer> MAX_OBJECTS = intRange("dataset.synthetic.max-objects",
                "Most objects in one image (at least 1 each).", 4, 1, 16);
    }

    /** LID / ImageNet-DET layout, paths relative to dataset.root. */
    public static final class Lid {
        public static final Param<String> LIST_DIR = string("dataset.lid.list-dir",
                "Folder of the per-class lists train_<k>.txt (lines 'image_id label', 1 positive, 0 partial, "
                        + "-1 negative) and of the validation list.", "ImageSets/DET");
        public static final Param<String> TRAIN_IMAGE_DIR = string("dataset.lid.train-image-dir",
                "Folder of the training images <image_id>.JPEG.", "Data/DET/train");
        public static final Param<String> VAL_LIST = string("dataset.lid.val-list",
                "Validation list (first word of each line is the image id), relative to dataset.lid.list-dir.",
                "val.txt");
        public static final Param<String> VAL_IMAGE_DIR = string("dataset.lid.val-image-dir",
                "Folder of the validation images <image_id>.JPEG.", "Data/DET/val");
        public static final Param<String> VAL_MASK_DIR = string("dataset.lid.val-mask-dir",
                "Folder of the validation ground truth <image_id>.png (0 background, 1..K, 255 ignore).",
                "Annotations/DET/val");
    }

    /** The ingest stage. */
    public static final class Ingest {
        public static final Param<Integer> PARTITIONS = intRange("ingest.partitions",
                "Spark partitions for reading images; 0 = automatic (about 4 per core, at most 2000 images each).",
                0, 0, 1_000_000);
    }

    /** How jobs start Spark. */
    public static final class Runtime {
        public static final Param<String> LOCAL_MASTER = string("runtime.local-master",
                "Spark master used when wsss is not started by spark-submit (spark-submit's --master wins).",
                "local[*]");
        public static final Param<Integer> PROGRESS_SECONDS = intRange("runtime.progress-seconds",
                "Interval of progress log lines (partitions done / total, images/s, ETA).", 10, 1, 3600);
    }

    private static final List<Class<?>> SECTIONS = List.of(Dataset.class, Synthetic.class, Lid.class,
            Ingest.class, Runtime.class);

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
