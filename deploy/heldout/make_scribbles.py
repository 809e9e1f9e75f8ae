#!/usr/bin/env python3
"""Scribbles for a VOC-layout folder, drawn from its SegmentationClass masks as an annotator would draw them along
the middle of each region (the way `wsss export-synthetic` draws them for its scenes): for every 4-connected region
of one label (background included, the 255 band excluded), the ridge of the region's distance from its edge
(pixels no 4-neighbour of the region is deeper than) where that distance is at least half the region's deepest.
Written as palette PNGs OUT/<id>.png, the class index on a scribble and 255 elsewhere, for dataset.scribbles.

Usage: make_scribbles.py VOC_ROOT OUT_DIR
"""
import os
import sys
from collections import deque

import numpy as np
from PIL import Image


def depth_from_edge(mask):
    """4-neighbour distance (in steps) of every pixel to the nearest pixel of another value or the image's outside."""
    h, w = mask.shape
    depth = np.zeros((h, w), dtype=np.int32)
    queue = deque()
    for y in range(h):
        for x in range(w):
            v = mask[y, x]
            edge = x == 0 or y == 0 or x == w - 1 or y == h - 1 or (
                mask[y, x - 1] != v or mask[y, x + 1] != v or mask[y - 1, x] != v or mask[y + 1, x] != v)
            if edge:
                depth[y, x] = 1
                queue.append((y, x))
    while queue:
        y, x = queue.popleft()
        for yy, xx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
            if 0 <= yy < h and 0 <= xx < w and depth[yy, xx] == 0 and mask[yy, xx] == mask[y, x]:
                depth[yy, xx] = depth[y, x] + 1
                queue.append((yy, xx))
    return depth


def regions(mask):
    """4-connected regions of equal value: an id per pixel."""
    h, w = mask.shape
    ids = -np.ones((h, w), dtype=np.int32)
    n = 0
    for y in range(h):
        for x in range(w):
            if ids[y, x] >= 0:
                continue
            ids[y, x] = n
            queue = deque([(y, x)])
            while queue:
                cy, cx = queue.popleft()
                for yy, xx in ((cy - 1, cx), (cy + 1, cx), (cy, cx - 1), (cy, cx + 1)):
                    if 0 <= yy < h and 0 <= xx < w and ids[yy, xx] < 0 and mask[yy, xx] == mask[y, x]:
                        ids[yy, xx] = n
                        queue.append((yy, xx))
            n += 1
    return ids, n


def scribbles(mask):
    depth = depth_from_edge(mask)
    ids, n = regions(mask)
    deepest = np.zeros(n, dtype=np.int32)
    np.maximum.at(deepest, ids.ravel(), depth.ravel())
    h, w = mask.shape
    out = np.full((h, w), 255, dtype=np.uint8)
    for y in range(h):
        for x in range(w):
            v = mask[y, x]
            d = depth[y, x]
            if v == 255 or d * 2 < deepest[ids[y, x]]:
                continue
            ridge = all(not (0 <= yy < h and 0 <= xx < w) or ids[yy, xx] != ids[y, x] or depth[yy, xx] <= d
                        for yy, xx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)))
            if ridge:
                out[y, x] = v
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    root, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    masks = os.path.join(root, "SegmentationClass")
    palette = None
    count = 0
    for name in sorted(os.listdir(masks)):
        if not name.endswith(".png"):
            continue
        img = Image.open(os.path.join(masks, name))
        palette = img.getpalette() if img.mode == "P" else palette
        mask = np.array(img if img.mode in ("P", "L") else img.convert("L"))
        scribble = Image.fromarray(scribbles(mask), mode="P")
        if palette is not None:
            scribble.putpalette(palette)
        scribble.save(os.path.join(out, name))
        count += 1
    print("make_scribbles: %d scribble PNGs under %s" % (count, out))


if __name__ == "__main__":
    main()
