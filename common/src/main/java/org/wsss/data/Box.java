package org.wsss.data;

import java.io.Serializable;

/**
 * A labelled bounding box in pixels: columns x0..x1-1, rows y0..y1-1 (half-open, 0-based; a VOC {@code <bndbox>}
 * with 1-based inclusive xmin..xmax is x0 = xmin - 1, x1 = xmax), class index 1..C.
 */
public record Box(int x0, int y0, int x1, int y1, int classIndex) implements Serializable {

    public Box {
        if (x0 < 0 || y0 < 0 || x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException("box (" + x0 + "," + y0 + ")-(" + x1 + "," + y1 + ") is empty or "
                    + "has a negative corner");
        }
    }

    public int area() {
        return (x1 - x0) * (y1 - y0);
    }

    public boolean contains(int x, int y) {
        return x >= x0 && x < x1 && y >= y0 && y < y1;
    }
}
