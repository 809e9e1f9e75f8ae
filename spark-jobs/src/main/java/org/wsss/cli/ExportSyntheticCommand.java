package org.wsss.cli;

import org.wsss.synthetic.LidExport;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticSpec;
import org.wsss.synthetic.VocExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * `wsss export-synthetic`: generated scenes written as a VOC 2012 folder (a held-out set for the voc reader) or in the
 * LID layout (the scale harness's trees).
 */
@Command(name = "export-synthetic", mixinStandardHelpOptions = true,
        description = {"Writes generated scenes as a PASCAL VOC 2012 folder (JPEGImages, SegmentationClass palette "
                + "PNGs with the 255 boundary band, Annotations XML, ImageSets/Segmentation/train.txt and val.txt) "
                + "plus points.jsonl (one point per instance and one background click per image), to be read back "
                + "with dataset.format=voc. Use a seed other than the tuning seed (7) for a held-out set. "
                + "With --layout lid: the LID challenge layout instead (Data/DET/train/<shard>/<id>.JPEG, "
                + "ImageSets/DET/train_<k>.txt, val.txt, Data/DET/val, Annotations/DET/val masks), read with "
                + "dataset.format=lid. No Spark."})
final class ExportSyntheticCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder to write; must be absent or empty.")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "400",
            description = "Number of images, train and val together (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "96",
            description = "Width and height in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "11",
            description = "Generator seed (default: ${DEFAULT-VALUE}; the defaults were tuned on 7).")
    long seed;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of the images in the val split (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--max-objects", paramLabel = "N", defaultValue = "4",
            description = "Most objects in one image (default: ${DEFAULT-VALUE}).")
    int maxObjects;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "shapes",
            description = "Scene generator, as dataset.synthetic.preset: shapes or hard (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--layout", paramLabel = "NAME", defaultValue = "voc",
            description = "Folder layout: voc or lid (default: ${DEFAULT-VALUE}).")
    String layout;

    @Override
    public Integer call() throws Exception {
        SyntheticSpec spec = spec();
        check(layout.equals("voc") || layout.equals("lid"), "--layout", layout, "voc or lid");
        if (Files.exists(out) && !isEmptyFolder(out)) {
            throw new IllegalArgumentException("--out " + out + ": exists and is not an empty folder (an export "
                    + "into an old one would leave its stale files listed nowhere but still on disk)");
        }
        long start = System.nanoTime();
        if (layout.equals("lid")) {
            LidExport.Summary s = LidExport.write(spec, out);
            System.out.printf("export-synthetic: %d train (%d of them without a positive tag) + %d val + %d test %s "
                    + "images (%d px, seed %d) in LID layout in %.1f s under %s%n", s.trainImages(),
                    s.trainWithoutTags(), s.valImages(), s.testImages(), spec.preset().configName, size, seed,
                    (System.nanoTime() - start) / 1e9, out);
            System.out.println("read it with: --set dataset.format=lid --set dataset.root=" + out
                    + " --set 'dataset.classes=[" + String.join(", ", spec.preset().classNames()) + "]'"
                    + " (add --set 'dataset.splits=[train, val, test]' --set 'predict.splits=[val, test]' for "
                    + "export-submission)");
            return 0;
        }
        VocExport.Summary s = VocExport.write(spec, out);
        System.out.printf("export-synthetic: %d train + %d val %s images (%d px, seed %d) in %.1f s under %s%n",
                s.trainImages(), s.valImages(), spec.preset().configName, size, seed, (System.nanoTime() - start) / 1e9, out);
        System.out.printf("points: %s (%d train, %d val points, background clicks included)%n",
                out.resolve(VocExport.POINTS_FILE), s.trainPoints(), s.valPoints());
        System.out.println("read it with: --set dataset.format=voc --set dataset.root=" + out
                + " --set 'dataset.classes=[" + String.join(", ", spec.preset().classNames()) + "]'");
        System.out.println("boxes: in the XML annotations; scribbles: --set dataset.scribbles="
                + out.resolve(VocExport.SCRIBBLES_DIR));
        return 0;
    }

    private SyntheticSpec spec() {
        check(count >= 1, "--count", count, "at least 1");
        check(size >= SyntheticSpec.MIN_SIZE && size <= SyntheticSpec.MAX_SIZE, "--size", size,
                "in [" + SyntheticSpec.MIN_SIZE + ", " + SyntheticSpec.MAX_SIZE + "]");
        check(valFraction >= 0 && valFraction <= 1, "--val-fraction", valFraction, "in [0, 1]");
        check(maxObjects >= 1 && maxObjects <= SyntheticSpec.MAX_OBJECTS, "--max-objects", maxObjects,
                "in [1, " + SyntheticSpec.MAX_OBJECTS + "]");
        SyntheticPreset p = null;
        for (SyntheticPreset candidate : SyntheticPreset.values()) {
            if (candidate.configName.equals(preset)) {
                p = candidate;
            }
        }
        check(p != null, "--preset", preset, "one of shapes, hard");
        return new SyntheticSpec(count, size, seed, valFraction, maxObjects, p);
    }

    private static void check(boolean ok, String option, Object value, String valid) {
        if (!ok) {
            throw new IllegalArgumentException(option + " = " + value + ": must be " + valid);
        }
    }

    private static boolean isEmptyFolder(Path p) throws Exception {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }
}
