package org.wsss.data;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The box annotation file (dataset.boxes): JSON lines, one object per image,
 * {@code {"image_id": "...", "boxes": [{"x0": 10, "y0": 20, "x1": 110, "y1": 90, "class": "cat"}]}}, bounds in
 * pixels, half-open (x0..x1-1, y0..y1-1, as {@link Box}). Class names are resolved and bounds checked against the
 * image when it is loaded.
 */
public final class BoxesFile {

    private BoxesFile() {
    }

    /** Boxes per image id, in file order; an image id given on several lines gets all their boxes. */
    public static Map<String, List<NamedBox>> read(DatasetFs fs, String path) throws IOException {
        return PointsFile.perImage(fs, path, "dataset.boxes", "boxes", "box",
                "{\"x0\":..,\"y0\":..,\"x1\":..,\"y1\":..,\"class\":..}",
                (b, where) -> new NamedBox(PointsFile.coordinate(b, "x0", where), PointsFile.coordinate(b, "y0", where),
                        PointsFile.coordinate(b, "x1", where), PointsFile.coordinate(b, "y1", where),
                        PointsFile.className(b, where)));
    }
}
