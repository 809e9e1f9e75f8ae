package org.wsss.data;

import java.io.Serializable;

/** A box as annotation files give it (half-open pixel bounds as {@link Box}), the class by name. */
public record NamedBox(int x0, int y0, int x1, int y1, String className) implements Serializable {
}
