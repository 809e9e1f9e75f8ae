package org.wsss.data;

import org.wsss.config.Params;
import org.wsss.config.Settings;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticSpec;

import java.io.IOException;
import java.util.List;

/** Picks the reader for dataset.format, with its class list (dataset.classes, or the format's own). */
public final class DatasetReaders {
    private DatasetReaders() {
    }

    public static DatasetReader create(Settings s, DatasetFs fs) throws IOException {
        List<String> classes = s.get(Params.Dataset.CLASSES);
        String root = s.get(Params.Dataset.ROOT);
        return switch (s.get(Params.Dataset.FORMAT)) {
            case "synthetic" -> new SyntheticReader(syntheticSpec(s));
            case "voc" -> {
                requireRoot(fs, root);
                yield new VocReader(root, new ClassList(classes.isEmpty() ? ClassList.VOC : classes),
                        ImageLimits.of(s));
            }
            case "lid" -> {
                requireRoot(fs, root);
                LidLayout layout = lidLayout(s);
                yield new LidReader(root, classes.isEmpty() ? LidReader.defaultClasses() : new ClassList(classes),
                        layout, ImageLimits.of(s));
            }
            default -> throw new IllegalArgumentException("dataset.format = " + s.get(Params.Dataset.FORMAT));
        };
    }

    public static SyntheticSpec syntheticSpec(Settings s) {
        return new SyntheticSpec(s.get(Params.Synthetic.COUNT), s.get(Params.Synthetic.SIZE),
                s.get(Params.Synthetic.SEED), s.get(Params.Synthetic.VAL_FRACTION),
                s.get(Params.Synthetic.MAX_OBJECTS), SyntheticPreset.of(s.get(Params.Synthetic.PRESET)));
    }

    public static LidLayout lidLayout(Settings s) {
        return new LidLayout(s.get(Params.Lid.LIST_DIR), s.get(Params.Lid.TRAIN_IMAGE_DIR),
                s.get(Params.Lid.VAL_LIST), s.get(Params.Lid.VAL_IMAGE_DIR), s.get(Params.Lid.VAL_MASK_DIR),
                s.get(Params.Lid.TEST_LIST), s.get(Params.Lid.TEST_IMAGE_DIR));
    }

    private static void requireRoot(DatasetFs fs, String root) throws IOException {
        if (!fs.exists(root)) {
            throw new IllegalArgumentException("dataset.root = " + root + ": no such folder");
        }
    }
}
