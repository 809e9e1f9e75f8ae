package org.wsss.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes image_id a key: every later stage joins on it, so an image listed twice would multiply rows, and an
 * image in two splits would be trained on and evaluated on.
 */
public final class UniqueIds {

    /** The references with each id once (its first listing), and a quarantine row for each later listing. */
    public record Result(List<SampleRef> refs, List<String[]> duplicates) {
    }

    private UniqueIds() {
    }

    /**
     * Keeps the first listing of each id; a later one in the same split becomes an (image_id, source, reason) row.
     *
     * @throws IllegalStateException when an id is listed in two splits: which one it belongs to is for the user
     */
    public static Result of(List<SampleRef> listed) {
        Map<String, SampleRef> first = new HashMap<>();
        List<SampleRef> kept = new ArrayList<>(listed.size());
        List<String[]> duplicates = new ArrayList<>();
        for (SampleRef r : listed) {
            SampleRef f = first.putIfAbsent(r.imageId(), r);
            if (f == null) {
                kept.add(r);
            } else if (!f.split().equals(r.split())) {
                throw new IllegalStateException("image id '" + r.imageId() + "' is listed in split '" + f.split()
                        + "' and again in split '" + r.split() + "': an image must be in one split only (it would be "
                        + "trained on and evaluated on); remove it from one of the split lists");
            } else {
                duplicates.add(new String[]{r.imageId(), r.imagePath() != null ? r.imagePath() : r.split(),
                        "image id '" + r.imageId() + "' is listed more than once in split '" + r.split()
                                + "': only its first listing is ingested"});
            }
        }
        return new Result(kept, duplicates);
    }
}
