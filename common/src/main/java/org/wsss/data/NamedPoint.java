package org.wsss.data;

import java.io.Serializable;

/** A point as annotation files give it: the class by name, resolved against the class list at load time. */
public record NamedPoint(int x, int y, String className) implements Serializable {
}
