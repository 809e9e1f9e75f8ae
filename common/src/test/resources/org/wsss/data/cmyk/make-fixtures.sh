#!/bin/sh
# Makes the CMYK/YCCK JPEG fixtures of ImageCodecCmykTest with independent tools (Debian: python3-pil,
# imagemagick) and checks that PIL decodes each to the colours the test expects. Run from this folder.
# 32x32, four 16x16 patches (MCU-aligned, so each decodes to a near-solid colour), in CMYK ink values:
#   top-left (0,255,255,0) red, top-right (255,0,255,0) green, bottom-left (0,0,0,128) 50% black,
#   bottom-right (64,128,192,32); RGB = (255-C)(255-K)/255 per channel: (255,0,0) (0,255,0) (127,127,127)
#   (167,111,55).
set -eu
/usr/bin/python3 - <<'PY'
from PIL import Image
im = Image.new('CMYK', (32, 32))
for i, c in enumerate([(0, 255, 255, 0), (255, 0, 255, 0), (0, 0, 0, 128), (64, 128, 192, 32)]):
    x0, y0 = (i % 2) * 16, (i // 2) * 16
    for y in range(y0, y0 + 16):
        for x in range(x0, x0 + 16):
            im.putpixel((x, y), c)
# PIL writes Adobe-inverted CMYK with an APP14 Adobe marker, transform 0.
im.save('cmyk.jpg', quality=100, subsampling=0)
PY
# ImageMagick re-encodes as YCCK (libjpeg colour space 5, Adobe transform 2): full chroma, then Photoshop's 2x2.
/usr/bin/convert cmyk.jpg -quality 100 -sampling-factor 1x1 -define jpeg:colorspace=5 ycck.jpg
/usr/bin/convert cmyk.jpg -quality 95 -sampling-factor 2x2,1x1,1x1,2x2 -define jpeg:colorspace=5 ycck-2x2.jpg
/usr/bin/python3 - <<'PY'
from PIL import Image
want = [(255, 0, 0), (0, 255, 0), (127, 127, 127), (167, 111, 55)]
for f, transform in [('cmyk.jpg', 0), ('ycck.jpg', 2), ('ycck-2x2.jpg', 2)]:
    im = Image.open(f)
    assert im.mode == 'CMYK' and im.info.get('adobe_transform') == transform, (f, im.mode, im.info)
    rgb = im.convert('RGB')
    got = [rgb.getpixel((x, y)) for x, y in [(8, 8), (24, 8), (8, 24), (24, 24)]]
    assert all(abs(a - b) <= 3 for g, w in zip(got, want) for a, b in zip(g, w)), (f, got)
    print(f, 'adobe transform', transform, 'PIL decodes', got)
PY
