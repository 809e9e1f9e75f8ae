package org.wsss.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups quarantine reasons by kind: a reason names its file, image and sizes ("truncated JPEG (...):
 * /data/JPEGImages/a.jpg"), so two images broken the same way never have equal reasons; their kinds are equal.
 */
public final class QuarantineReasons {
    /** A token with a '/' (a path or URI), without the punctuation that follows it in a sentence. */
    private static final Pattern PATH = Pattern.compile("[^\\s'\"()]*/[^\\s'\"()]*?(?=[:,;.]*(?:[\\s'\"()]|$))");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** How many images were quarantined for one kind of reason, and the first of them by id. */
    public record Kind(String kind, int images, String exampleImageId) {
    }

    private QuarantineReasons() {
    }

    /** The reason with the image id, paths and numbers replaced by {@code <image>}, {@code <path>} and {@code N}. */
    public static String kindOf(String imageId, String reason) {
        String r = reason;
        if (imageId != null && !imageId.isEmpty()) {
            r = r.replaceAll("\\bimage " + Pattern.quote(imageId) + "(?![\\w.-])",
                    Matcher.quoteReplacement("image <image>"));
        }
        r = PATH.matcher(r).replaceAll("<path>");
        return NUMBER.matcher(r).replaceAll("N");
    }

    /**
     * The {@code n} commonest kinds among (image_id, source, reason) rows, most images first (ties: by kind), one
     * row per image.
     */
    public static List<Kind> commonest(Collection<String[]> rows, int n) {
        Map<String, List<String>> byKind = new TreeMap<>();
        for (String[] row : rows) {
            byKind.computeIfAbsent(kindOf(row[0], row[2]), k -> new ArrayList<>()).add(row[0]);
        }
        List<Kind> kinds = new ArrayList<>();
        byKind.forEach((kind, ids) -> kinds.add(new Kind(kind, ids.size(),
                ids.stream().min(Comparator.naturalOrder()).orElseThrow())));
        kinds.sort(Comparator.comparingInt(Kind::images).reversed().thenComparing(Kind::kind));
        return kinds.subList(0, Math.min(n, kinds.size()));
    }
}
