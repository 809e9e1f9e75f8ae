package org.wsss.data;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Foreground class names; index 0 is the implicit background, names map to 1..C. */
public final class ClassList implements Serializable {

    public static final List<String> VOC = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car",
            "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep",
            "sofa", "train", "tvmonitor");

    public static final String BACKGROUND = "background";

    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();

    public ClassList(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("dataset.classes: the class list is empty");
        }
        if (names.size() > 254) {
            throw new IllegalArgumentException("dataset.classes: " + names.size()
                    + " classes do not fit in 8-bit masks (at most 254; 255 means ignore)");
        }
        this.names = List.copyOf(names);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.isBlank() || n.equalsIgnoreCase(BACKGROUND)) {
                throw new IllegalArgumentException("dataset.classes: invalid class name '" + n
                        + "' (blank, or 'background', which is implicit)");
            }
            if (index.put(n, i + 1) != null) {
                throw new IllegalArgumentException("dataset.classes: class '" + n + "' is listed twice");
            }
        }
    }

    /** Number of foreground classes C. */
    public int size() {
        return names.size();
    }

    public List<String> names() {
        return names;
    }

    /** Name of class index 0..C (0 = background). */
    public String name(int classIndex) {
        return classIndex == 0 ? BACKGROUND : names.get(classIndex - 1);
    }

    /** Index 1..C of a foreground class name, or -1 when the name is not in the list. */
    public int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    /**
     * The 200 ILSVRC DET classes in their official order (LID's class numbering), from the project's resource
     * org/wsss/data/ilsvrc-det-classes.txt (WordNet id and name per line; spaces in names written as underscores).
     */
    public static ClassList ilsvrcDet() {
        java.io.InputStream in = ClassList.class.getResourceAsStream("ilsvrc-det-classes.txt");
        if (in == null) {
            throw new IllegalStateException("the class path lacks org/wsss/data/ilsvrc-det-classes.txt");
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        try (in) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    names.add(t.split("\\s+")[1]);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new ClassList(names);
    }

    /** Background plus the C class names, in index order (for metrics over C+1 labels). */
    public List<String> namesWithBackground() {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(names.size() + 1);
        all.add(BACKGROUND);
        all.addAll(names);
        return all;
    }
}
