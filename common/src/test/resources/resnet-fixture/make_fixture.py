"""Makes the ResNet forward-equivalence fixture that TorchResNetFixtureTest reads.

A torchvision ResNet (torchvision.models.resnet.ResNet's own _make_layer, Bottleneck and forward) with a
narrow stem and stages and few blocks, random weights and random BatchNorm statistics, saved as safetensors
(written here with struct + json: the safetensors package is not needed) and as torch.save's .pth, three small PNGs of odd sizes, and
PyTorch's eval-mode logits for them at output stride 32, 16 and 8 (replace_stride_with_dilation). The
reference runs in float64 so that it carries no float32 rounding of its own; the inputs are
(RGB / 255 - ImageNet mean) / std, as torchvision's transforms normalise.

Run from this folder:  python make_fixture.py   (needs torch, torchvision, numpy, pillow)
"""
import json
import struct
import sys
import types

import numpy as np
import torch
from PIL import Image

# torchvision's meta registrations need its compiled ops, which the CPU-only torch here cannot load; the
# models are plain Python and do not use them.
sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
from torch import nn  # noqa: E402
from torchvision.models.resnet import Bottleneck, ResNet  # noqa: E402

STEM = 16
PLANES = (8, 16, 24, 32)
BLOCKS = (1, 2, 2, 2)
CLASSES = 10
SIZES = ((64, 80), (97, 64), (75, 75))  # (height, width)
MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])


class SmallResNet(ResNet):
    """torchvision's ResNet with the stem width and stage planes as parameters (torchvision fixes 64 and 64..512)."""

    def __init__(self, replace_stride_with_dilation=None):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = STEM
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        rswd = replace_stride_with_dilation or [False, False, False]
        self.conv1 = nn.Conv2d(3, STEM, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(STEM)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(Bottleneck, PLANES[0], BLOCKS[0])
        self.layer2 = self._make_layer(Bottleneck, PLANES[1], BLOCKS[1], stride=2, dilate=rswd[0])
        self.layer3 = self._make_layer(Bottleneck, PLANES[2], BLOCKS[2], stride=2, dilate=rswd[1])
        self.layer4 = self._make_layer(Bottleneck, PLANES[3], BLOCKS[3], stride=2, dilate=rswd[2])
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(PLANES[3] * Bottleneck.expansion, CLASSES)


def randomise(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                m.weight.normal_(0, (2.0 / (m.in_channels * m.kernel_size[0] * m.kernel_size[1])) ** 0.5,
                                 generator=gen)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5, generator=gen)
                m.bias.normal_(0, 0.2, generator=gen)
                m.running_mean.normal_(0, 0.3, generator=gen)
                m.running_var.uniform_(0.5, 2.0, generator=gen)
                m.num_batches_tracked.fill_(7)
            elif isinstance(m, nn.Linear):
                m.weight.normal_(0, 0.2, generator=gen)
                m.bias.normal_(0, 0.2, generator=gen)


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
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


def image(rng, h, w):
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255.0 / w, y * 255.0 / h, (x + y) * 127.0 / (h + w)], axis=-1)
    return np.clip(base + rng.normal(0, 40, (h, w, 3)), 0, 255).astype(np.uint8)


def main():
    gen = torch.Generator().manual_seed(13)
    rng = np.random.default_rng(13)
    model = SmallResNet()
    randomise(model, gen)
    state = model.state_dict()
    write_safetensors("weights.safetensors", state)
    torch.save(state, "weights.pth")  # the same state_dict as torch.save writes it (a zip)
    inputs = []
    for i, (h, w) in enumerate(SIZES):
        rgb = image(rng, h, w)
        Image.fromarray(rgb).save(f"img{i}.png")
        x = (rgb.astype(np.float64) / 255.0 - MEAN) / STD
        inputs.append(torch.from_numpy(x.transpose(2, 0, 1)[None].copy()))
    for os_, rswd in ((32, None), (16, [False, False, True]), (8, [False, True, True])):
        net = SmallResNet(rswd)
        net.load_state_dict(state)
        net = net.double().eval()
        with torch.no_grad():
            logits = np.concatenate([net(x).numpy() for x in inputs]).astype(np.float32)
            np.save(f"logits_os{os_}.npy", logits)
            if os_ == 8:
                # layer3 of image 1: the first dilated stage, where the first block keeps dilation 1
                t = net.layer3(net.layer2(net.layer1(net.maxpool(net.relu(net.bn1(net.conv1(inputs[1])))))))
                np.save("layer3_os8_img1.npy", t.numpy().astype(np.float32))
    print("wrote weights.safetensors, weights.pth, img0..2.png, logits_os{32,16,8}.npy, layer3_os8_img1.npy")


if __name__ == "__main__":
    main()
