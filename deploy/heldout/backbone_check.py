"""Held-out import check for `wsss kernel backbone` (issue 13): full torchvision ResNet-50 and ResNet-101 with
their own random weights (torchvision.models.resnetNN(weights=None), BatchNorm statistics randomised so that
they matter), saved as safetensors, real photos converted to PNG (both sides then read the same pixels; JPEG
decoders differ by a grey level here and there), PyTorch's float32 eval-mode logits, then the Java CLI on the
same files. Passes when the max relative difference (max |java - torch| / max |torch|, per image) is <= 1e-3
and the top-5 classes are identical.

Usage: python backbone_check.py WSSS_LAUNCHER WORK_DIR PHOTO [PHOTO ...]   (needs torch, torchvision, pillow)
"""
import json
import struct
import subprocess
import sys
import time
import types

import numpy as np
import torch
from PIL import Image

# torchvision's meta registrations need its compiled ops, which a CPU-only torch may not load; models do not.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
import torchvision  # noqa: E402

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def write_safetensors(path, state):
    header, offset, blobs = {}, 0, []
    for name, t in state.items():
        a = t.detach().cpu().numpy()
        dtype = {np.float32: "F32", np.int64: "I64"}[a.dtype.type]
        blob = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def main():
    launcher, work, photos = sys.argv[1], sys.argv[2], sys.argv[3:]
    pngs = []
    for i, p in enumerate(photos):
        png = f"{work}/photo{i}.png"
        img = Image.open(p).convert("RGB")
        if max(img.size) > 400:  # a wallpaper: keep the check at photo sizes the networks see (aspect kept)
            scale = 397 / max(img.size)
            img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
        img.save(png)
        pngs.append(png)
    gen = torch.Generator().manual_seed(2026)
    failed = False
    for arch in ("resnet50", "resnet101"):
        net = getattr(torchvision.models, arch)(weights=None)
        with torch.no_grad():
            for m in net.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.weight.uniform_(0.5, 1.5, generator=gen)
                    m.bias.normal_(0, 0.1, generator=gen)
                    m.running_mean.normal_(0, 0.1, generator=gen)
                    m.running_var.uniform_(0.5, 2.0, generator=gen)
        net.eval()
        weights = f"{work}/{arch}.safetensors"
        write_safetensors(weights, net.state_dict())
        for png in pngs:
            rgb = np.asarray(Image.open(png).convert("RGB"), dtype=np.float32)
            x = torch.from_numpy(((rgb / 255.0 - MEAN) / STD).transpose(2, 0, 1)[None].copy())
            with torch.no_grad():
                want = net(x).numpy()[0]
            out = png[:-4] + f"-{arch}.npy"
            t0 = time.time()
            subprocess.run([launcher, "kernel", "backbone", "--weights", weights, "--image", png, "--out", out,
                            "--arch", arch], check=True)
            wall = time.time() - t0
            got = np.load(out)[0]
            rel = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
            top_want, top_got = [int(i) for i in np.argsort(-want)[:5]], [int(i) for i in np.argsort(-got)[:5]]
            ok = rel <= 1e-3 and top_want == top_got
            failed |= not ok
            print(f"{arch} {png.split('/')[-1]} {rgb.shape[1]}x{rgb.shape[0]}: max rel diff {rel:.2e}, "
                  f"top-5 torch {top_want} java {top_got} -> {'ok' if ok else 'FAIL'} ({wall:.1f} s with JVM start)",
                  flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
