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
 * LID challenge / ImageNet-DET layout. Train: per-class lists {@code <listDir>/train_<k>.txt} with lines
 * {@code image_id label} (1 positive, 0 partial, -1 verified negative); every listed image is a training
 * image and its labels are the classes k it is listed under with 1 (class k = the k-th name of the class
 * list). Val: {@code <listDir>/<valList>}, images {@code <valImageDir>/<id>.JPEG}, ground truth
 * {@code <valMaskDir>/<id>.png} (labels from its values).
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

    /** class_1..class_K, K = the highest k of the train_k.txt lists. */
    public static ClassList defaultClasses(DatasetFs fs, String root, LidLayout layout) throws IOException {
        String listDir = DatasetFs.join(root, layout.listDir());
        int k = trainLists(fs, listDir).lastKey();
        List<String> names = new ArrayList<>(k);
        for (int i = 1; i <= k; i++) {
            names.add("class_" + i);
        }
        return new ClassList(names);
    }

    @Override
    DatasetListing scan(DatasetFs fs, List<String> splits, boolean withFiles) throws IOException {
        FolderIndex index = new FolderIndex(fs);
        List<SampleRef> refs = new ArrayList<>();
        List<String> read = new ArrayList<>();
        List<String[]> rejected = new ArrayList<>();
        for (String split : splits) {
            switch (split) {
                case "train" -> scanTrain(fs, refs, read, rejected);
                case "val" -> scanVal(fs, index, refs, read, rejected);
                default -> throw new IllegalArgumentException("dataset.splits: LID has the splits train and val, not '"
                        + split + "'");
            }
        }
        return new DatasetListing(refs, withFiles ? index.entries(read) : List.of(), rejected);
    }

    private void scanTrain(DatasetFs fs, List<SampleRef> refs, List<String> read, List<String[]> rejected)
            throws IOException {
        String listDir = DatasetFs.join(root, layout.listDir());
        SortedMap<Integer, FileEntry> lists = trainLists(fs, listDir);
        for (Map.Entry<Integer, FileEntry> e : lists.entrySet()) {
            if (e.getKey() > classes.size()) {
                throw new IllegalArgumentException(e.getValue().path() + " is the list of class " + e.getKey()
                        + ", but dataset.classes has " + classes.size() + " classes");
            }
        }
        SortedMap<String, SortedSet<Integer>> positives = new TreeMap<>();
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
                if (words[1].equals("1")) {
                    labels.add(e.getKey());
                }
            }
        }
        for (Map.Entry<String, SortedSet<Integer>> e : positives.entrySet()) {
            List<String> names = e.getValue().stream().map(classes::name).toList();
            String image = DatasetFs.join(root, layout.trainImageDir(), e.getKey() + ".JPEG");
            refs.add(new SampleRef(e.getKey(), "train", image, null, null, names, null, -1));
            read.add(image);
        }
    }

    private void scanVal(DatasetFs fs, FolderIndex index, List<SampleRef> refs, List<String> read,
                         List<String[]> rejected) throws IOException {
        String listPath = DatasetFs.join(root, layout.listDir(), layout.valList());
        if (index.find(listPath) == null) {
            throw new IllegalArgumentException("LID validation list " + listPath + " does not exist "
                    + "(dataset.lid.list-dir / dataset.lid.val-list)");
        }
        read.add(listPath);
        List<String> ids = new ArrayList<>();
        for (String line : FolderIndex.lines(fs, listPath)) {
            String t = line.strip();
            if (!t.isEmpty()) {
                ids.add(t.split("\\s+")[0]);
            }
        }
        for (String id : ids) {
            String problem = ImageIds.problem(id);
            if (problem != null) {
                rejected.add(new String[]{id, listPath, problem});
                continue;
            }
            String image = DatasetFs.join(root, layout.valImageDir(), id + ".JPEG");
            String mask = DatasetFs.join(root, layout.valMaskDir(), id + ".png");
            boolean hasMask = index.find(mask) != null;
            refs.add(new SampleRef(id, "val", image, hasMask ? mask : null, null, null, null, -1));
            read.add(image);
            read.add(mask);
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
