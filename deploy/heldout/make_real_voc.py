"""Writes a PASCAL VOC 2012 layout set of real object photos composited on real photographs.

Objects: Tux Paint's photo stamps (Debian package tuxpaint-stamps-default), RGBA cut-outs whose alpha channel
gives an exact mask. Backgrounds: random crops of MATE's nature wallpapers (mate-backgrounds). Ten classes in
five look-alike pairs, several real instances each. Deterministic from the seed: the same seed and the same
package versions give the same files.

Run with Debian's /usr/bin/python3 (python3-numpy, python3-pil); deploy/heldout/make-real-voc.sh installs them.
"""
import argparse
import glob
import os
import random

import numpy as np
from PIL import Image

STAMPS = "/usr/share/tuxpaint/stamps"
BACKGROUNDS = "/usr/share/backgrounds/mate/nature"

# Five pairs of classes that look alike; each class has several real photographed instances.
CLASSES = [
    ("apple", ["food/fruit/apple_green", "food/fruit/apple_granny_smith", "food/fruit/apple_red",
               "food/fruit/apple_fuji", "food/fruit/apple_sierra_beauty"]),
    ("orange", ["food/fruit/orange", "food/fruit/orange_seville", "food/fruit/mandarine", "food/fruit/lemon"]),
    ("canine", ["animals/mammals/dogs/dog", "animals/mammals/dogs/dingo", "animals/mammals/dogs/fox"]),
    ("bigcat", ["animals/mammals/cats/tiger", "animals/mammals/cats/tiger_sumatran", "animals/mammals/cats/lion",
                "animals/mammals/cats/lion-2"]),
    ("cattle", ["animals/mammals/bovines/cow", "animals/mammals/bovines/cow_white", "animals/mammals/bovines/bull",
                "animals/mammals/bovines/zebu", "animals/mammals/bovines/yak", "animals/mammals/bovines/bison"]),
    ("sheep", ["animals/mammals/bovines/sheep", "animals/mammals/bovines/sheep_lamb", "animals/mammals/bovines/goat",
               "animals/mammals/bovines/ram", "animals/mammals/bovines/mountaingoat"]),
    ("horse", ["animals/mammals/equines/horse", "animals/mammals/equines/donkey",
               "animals/mammals/equines/donkey_eating", "animals/mammals/equines/zebra"]),
    ("deer", ["animals/mammals/deer/deer", "animals/mammals/deer/doe", "animals/mammals/deer/wapiti",
              "animals/mammals/deer/caribou"]),
    ("car", ["vehicles/auto/beetle", "vehicles/auto/sportscar2", "vehicles/auto/sedan", "vehicles/race/indycar"]),
    ("truck", ["vehicles/auto/truck", "vehicles/emergency/firetruck", "vehicles/garbagetruck",
               "vehicles/construction/dumper", "vehicles/masstransit/green_korean_bus"]),
]

# Alpha at or above this is the object; between EDGE_LO and this the soft edge is marked 255 (ignore), as VOC does.
ALPHA_FG = 128
EDGE_LO = 32
EDGE_HI = 224
MIN_VISIBLE = 0.35  # an object keeps at least this share of its pixels after later objects occlude it


def voc_palette():
    pal = []
    for i in range(256):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal += [r, g, b]
    return pal


def load_stamp(rel):
    path = os.path.join(STAMPS, rel + ".png")
    im = Image.open(path).convert("RGBA")
    box = im.getchannel("A").point(lambda a: 255 if a >= ALPHA_FG else 0).getbbox()
    if box is None:
        raise SystemExit("stamp %s has an empty alpha channel" % path)
    return im.crop(box)


def background(rng, photos, size):
    photo = photos[rng.randrange(len(photos))]
    w, h = photo.size
    side = int(min(w, h) * rng.uniform(0.15, 0.6))
    x, y = rng.randrange(w - side + 1), rng.randrange(h - side + 1)
    bg = photo.crop((x, y, x + side, y + side)).resize((size, size), Image.BILINEAR)
    return bg.transpose(Image.FLIP_LEFT_RIGHT) if rng.random() < 0.5 else bg


def place(rng, stamp, size):
    """A scaled, maybe flipped copy of the stamp and its top-left corner; longer side 20-60% of the image."""
    s = stamp.transpose(Image.FLIP_LEFT_RIGHT) if rng.random() < 0.5 else stamp
    longer = max(8, int(round(size * rng.uniform(0.2, 0.6))))
    f = longer / max(s.size)
    s = s.resize((max(1, int(round(s.size[0] * f))), max(1, int(round(s.size[1] * f)))), Image.LANCZOS)
    # Up to a fifth of the object may fall outside the frame, as objects cut by the border do in photos.
    mx, my = s.size[0] // 5, s.size[1] // 5
    x = rng.randint(-mx, size - s.size[0] + mx)
    y = rng.randint(-my, size - s.size[1] + my)
    return s, x, y


def compose(rng, photos, stamps, size):
    """One image: background crop plus 1-3 objects; later objects occlude earlier ones (masks follow)."""
    n = rng.choices([1, 2, 3], weights=[0.4, 0.35, 0.25])[0]
    for _attempt in range(50):
        img = background(rng, photos, size).convert("RGBA")
        label = np.zeros((size, size), np.uint8)
        owner = np.full((size, size), -1, np.int16)
        objs = []
        for k in range(n):
            c = rng.randrange(len(CLASSES))
            inst = rng.randrange(len(stamps[c]))
            s, x, y = place(rng, stamps[c][inst], size)
            layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
            layer.paste(s, (x, y))
            img = Image.alpha_composite(img, layer)
            a = np.asarray(layer.getchannel("A"))
            fg = a >= ALPHA_FG
            edge = (a >= EDGE_LO) & (a < EDGE_HI)
            label[fg] = c + 1
            owner[fg] = k
            label[edge] = 255
            owner[edge & ~fg] = -2
            objs.append((c, int(fg.sum())))
        visible = [int((owner == k).sum()) for k in range(n)]
        if all(v >= MIN_VISIBLE * total and v >= 30 for v, (_, total) in zip(visible, objs)):
            return img.convert("RGB"), label, owner, [c for c, _ in objs]
    raise SystemExit("could not place %d objects with enough visible pixels in 50 attempts" % n)


def annotation_xml(image_id, size, owner, classes):
    out = ["<annotation>", "  <folder>VOC2012</folder>", "  <filename>%s.jpg</filename>" % image_id,
           "  <size><width>%d</width><height>%d</height><depth>3</depth></size>" % (size, size),
           "  <segmented>1</segmented>"]
    for k, c in enumerate(classes):
        ys, xs = np.nonzero(owner == k)
        out.append("  <object><name>%s</name><difficult>0</difficult><bndbox><xmin>%d</xmin><ymin>%d</ymin>"
                   "<xmax>%d</xmax><ymax>%d</ymax></bndbox></object>"
                   % (CLASSES[c][0], xs.min() + 1, ys.min() + 1, xs.max() + 1, ys.max() + 1))
    out.append("</annotation>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--train", type=int, default=300)
    ap.add_argument("--val", type=int, default=80)
    ap.add_argument("--size", type=int, default=128)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    photos = [Image.open(p).convert("RGB") for p in sorted(glob.glob(os.path.join(BACKGROUNDS, "*.jpg")))]
    if not photos:
        raise SystemExit("no background photos under " + BACKGROUNDS + " (install mate-backgrounds)")
    stamps = [[load_stamp(rel) for rel in rels] for _, rels in CLASSES]

    for d in ("JPEGImages", "SegmentationClass", "Annotations", "ImageSets/Segmentation"):
        os.makedirs(os.path.join(args.out, d), exist_ok=True)
    palette = voc_palette()
    counts = [0] * len(CLASSES)
    splits = {"train": [], "val": []}
    for i in range(args.train + args.val):
        split = "train" if i < args.train else "val"
        image_id = "real_%05d" % i
        img, label, owner, classes = compose(rng, photos, stamps, args.size)
        img.save(os.path.join(args.out, "JPEGImages", image_id + ".jpg"), quality=92)
        mask = Image.fromarray(label, mode="P")
        mask.putpalette(palette)
        mask.save(os.path.join(args.out, "SegmentationClass", image_id + ".png"))
        with open(os.path.join(args.out, "Annotations", image_id + ".xml"), "w") as f:
            f.write(annotation_xml(image_id, args.size, owner, classes))
        splits[split].append(image_id)
        for c in set(classes):
            counts[c] += 1
    for split, ids in splits.items():
        with open(os.path.join(args.out, "ImageSets", "Segmentation", split + ".txt"), "w") as f:
            f.write("\n".join(ids) + "\n")
    print("wrote %d train + %d val images (%dx%d) to %s; images per class: %s"
          % (args.train, args.val, args.size, args.size, args.out,
             ", ".join("%s %d" % (CLASSES[c][0], counts[c]) for c in range(len(CLASSES)))))


if __name__ == "__main__":
    main()
