package org.wsss.data;

import java.io.Serializable;

/** A labelled point: pixel column x, row y, class index (1..C; 0 is background). */
public record Point(int x, int y, int classIndex) implements Serializable {
}
