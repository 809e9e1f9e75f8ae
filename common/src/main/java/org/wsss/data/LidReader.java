package org.wsss.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LID challenge layout ({@link LidLayout}). Train: ILSVRC DET's per-class lists {@code <listDir>/train_<k>.txt} with
 * lines {@code image_id label} (1 positive, 0 partial, -1 verified negative); a listed image's labels are the classes
 * k it is listed under with 1 (class k = the k-th name of the class list). A listed image with no 1 anywhere is left
 * out and reported (its only lines negative, or partial), never ingested without labels. Val: LID track 1's list,
 * images {@code <valImageDir>/<id>.JPEG}, greyscale ground truth {@code <valMaskDir>/<id>.png} (labels from its
 * values). Test: its list and images, no labels.
 */
public final class LidReader extends FileDatasetReader {

    private static final Pattern TRAIN_LIST = Pattern.compile("train_(\\d{1,6})\\.txt");

    private final String root;
    private final LidLayout layout;

    public LidReader(String root, ClassList classes, LidLayout layout) {
        this(root, classes, layout, ImageLimits.NONE);
    }

    public LidReader(String root, ClassList classes, LidLayout layout, ImageLimits limits) {
        super(classes, limits);
        this.root = root;
        this.layout = layout;
    }

    /** The 200 ILSVRC DET class names in LID's order ({@link ClassList#ilsvrcDet()}). */
    public static ClassList defaultClasses() {
        return ClassList.ilsvrcDet();
    }

    /** Why a listed training image has no positive label, for the ingest report. */
    static final String ONLY_NEGATIVE = "no positive tag: every line listing it is -1 (verified negative)";
    static final String ONLY_PARTIAL = "no positive tag: listed only as 0 (partial) or -1";

    @Override
    DatasetListing scan(DatasetFs fs, List<String> splits, boolean withFiles) throws IOException {
        FolderIndex index = new FolderIndex(fs);
        List<SampleRef> refs = new ArrayList<>();
        List<String> read = new ArrayList<>();
        List<String[]> rejected = new ArrayList<>();
        List<String[]> unlabelled = new ArrayList<>();
        for (String split : splits) {
            switch (split) {
                case "train" -> scanTrain(fs, refs, read, rejected, unlabelled);
                case "val" -> scanListed(fs, index, "val", layout.valList(), layout.valImageDir(),
                        layout.valMaskDir(), "dataset.lid.val-list", refs, read, rejected);
                case "test" -> scanListed(fs, index, "test", layout.testList(), layout.testImageDir(), null,
                        "dataset.lid.test-list", refs, read, rejected);
                default -> throw new IllegalArgumentException("dataset.splits: LID has the splits train, val and "
                        + "test, not '" + split + "'");
            }
        }
        return new DatasetListing(refs, withFiles ? index.entries(read) : List.of(), rejected, unlabelled);
    }

    private void scanTrain(DatasetFs fs, List<SampleRef> refs, List<String> read, List<String[]> rejected,
                           List<String[]> unlabelled) throws IOException {
        String listDir = DatasetFs.join(root, layout.listDir());
        SortedMap<Integer, FileEntry> lists = trainLists(fs, listDir);
        for (Map.Entry<Integer, FileEntry> e : lists.entrySet()) {
            if (e.getKey() > classes.size()) {
                throw new IllegalArgumentException(e.getValue().path() + " is the list of class " + e.getKey()
                        + ", but dataset.classes has " + classes.size() + " classes");
            }
        }
        SortedMap<String, SortedSet<Integer>> positives = new TreeMap<>();
        Map<String, String> sourceOf = new java.util.HashMap<>();
        java.util.Set<String> partial = new java.util.HashSet<>();
        for (Map.Entry<Integer, FileEntry> e : lists.entrySet()) {
            String path = DatasetFs.join(listDir, e.getValue().name());
            read.add(path);
            List<String> lines = FolderIndex.lines(fs, path);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] words = line.split("\\s+");
                if (words.length != 2 || !(words[1].equals("1") || words[1].equals("0") || words[1].equals("-1"))) {
                    throw new IllegalArgumentException(path + " line " + (n + 1)
                            + ": expected 'image_id label' with label 1, 0 or -1, got '" + line + "'");
                }
                String problem = ImageIds.problem(words[0]);
                if (problem != null) {
                    rejected.add(new String[]{words[0], path, problem});
                    continue;
                }
                SortedSet<Integer> labels = positives.computeIfAbsent(words[0], id -> new TreeSet<>());
                sourceOf.putIfAbsent(words[0], path);
                if (words[1].equals("1")) {
                    labels.add(e.getKey());
                } else if (words[1].equals("0")) {
                    partial.add(words[0]);
                }
            }
        }
        for (Map.Entry<String, SortedSet<Integer>> e : positives.entrySet()) {
            if (e.getValue().isEmpty()) {
                unlabelled.add(new String[]{e.getKey(), sourceOf.get(e.getKey()),
                        partial.contains(e.getKey()) ? ONLY_PARTIAL : ONLY_NEGATIVE});
                continue;
            }
            List<String> names = e.getValue().stream().map(classes::name).toList();
            String image = DatasetFs.join(root, layout.trainImageDir(), e.getKey() + ".JPEG");
            refs.add(new SampleRef(e.getKey(), "train", image, null, null, names, null, -1));
            read.add(image);
        }
    }

    /** A split given by a list of ids: its images, and its masks when {@code maskDir} is set (val). */
    private void scanListed(DatasetFs fs, FolderIndex index, String split, String list, String imageDir,
                            String maskDir, String listKey, List<SampleRef> refs, List<String> read,
                            List<String[]> rejected) throws IOException {
        String listPath = DatasetFs.join(root, list);
        if (index.find(listPath) == null) {
            throw new IllegalArgumentException("LID " + split + " list " + listPath + " does not exist (dataset.root / "
                    + listKey + ")");
        }
        read.add(listPath);
        for (String line : FolderIndex.lines(fs, listPath)) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            String id = t.split("\\s+")[0];
            String problem = ImageIds.problem(id);
            if (problem != null) {
                rejected.add(new String[]{id, listPath, problem});
                continue;
            }
            String image = DatasetFs.join(root, imageDir, id + ".JPEG");
            String mask = maskDir == null ? null : DatasetFs.join(root, maskDir, id + ".png");
            boolean hasMask = mask != null && index.find(mask) != null;
            refs.add(new SampleRef(id, split, image, hasMask ? mask : null, null, null, null, -1));
            read.add(image);
            if (mask != null) {
                read.add(mask);
            }
        }
    }

    private static SortedMap<Integer, FileEntry> trainLists(DatasetFs fs, String listDir) throws IOException {
        SortedMap<Integer, FileEntry> lists = new TreeMap<>();
        for (FileEntry e : fs.list(listDir)) {
            Matcher m = TRAIN_LIST.matcher(e.name());
            if (m.matches()) {
                int k = Integer.parseInt(m.group(1));
                if (k < 1) {
                    throw new IllegalArgumentException(e.path() + ": class lists are numbered from train_1.txt");
                }
                lists.put(k, e);
            }
        }
        if (lists.isEmpty()) {
            throw new IllegalArgumentException("no per-class lists train_<k>.txt in " + listDir
                    + " (dataset.root / dataset.lid.list-dir)");
        }
        return lists;
    }
}
