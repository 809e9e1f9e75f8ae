#!/usr/bin/env python3
"""GPU throughput of the pipeline's network work, measured with PyTorch + cuDNN on whatever GPU is at hand: the
card's figures for the capacity model in README.md (Dataset scale). A measurement aid only: nothing in the build,
the tests or the product runs it. It stands in for the ND4J CUDA backend where that cannot run (DL4J 1.0.0-M2.1 has
no code for Hopper GPUs; see deploy/gpu/cuda-archs.py), so its figures are what the card's cuDNN does, an upper
bound of what ND4J's cuDNN path can reach on the same card.

Networks with random weights (no download), shapes as conf/cluster.conf sets them:
  classifier train   ResNet-50, output stride 16, 200-class 1x1 head + global average pool, 448x448, batch 16, SGD
  make-cams          the same net, forward only, scales 1.0 0.5 1.5 2.0 of 448x448, image and mirror as a batch of 2
  affinity train     ResNet-50 output stride 8 features, 448x448, batch 8, SGD on a stand-in loss
  random-walk        the same features, forward only, one 448x448 image
  segmentation train DeepLab v3 ResNet-101 (output stride 8), 448x448, batch 8, SGD with cross-entropy
  predict            the same net, forward only, 448x448, image and mirror as a batch of 2
Each in FP32 (TF32 off, as ND4J computes) and with TF32 allowed. Prints a markdown table of images/s.
Usage: python3 deploy/gpu/torch-throughput.py [--iters 10]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class Classifier(nn.Module):
    def __init__(self, classes=200):
        super().__init__()
        r = torchvision.models.resnet50(weights=None, replace_stride_with_dilation=[False, False, True])
        self.body = nn.Sequential(*list(r.children())[:-2])
        self.head = nn.Conv2d(2048, classes, 1, bias=False)

    def forward(self, x):
        return self.head(self.body(x))


class Features(nn.Module):
    def __init__(self):
        super().__init__()
        r = torchvision.models.resnet50(weights=None, replace_stride_with_dilation=[False, True, True])
        self.body = nn.Sequential(*list(r.children())[:-2])
        self.head = nn.Conv2d(2048, 448, 1, bias=False)

    def forward(self, x):
        return self.head(self.body(x))


def timed(fn, iters, warmup=3):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) / iters


def train_step(net, batch, size, loss_fn, opt):
    x = torch.randn(batch, 3, size, size, device="cuda")

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(net(x)).backward()
        opt.step()
    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iters", type=int, default=10)
    args = parser.parse_args()
    dev = torch.device("cuda")
    print(f"GPU: {torch.cuda.get_device_name(0)}, torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}")
    torch.backends.cudnn.benchmark = True
    rows = []
    for tf32 in (False, True):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
        mode = "TF32" if tf32 else "FP32"

        cls = Classifier().to(dev).train()
        opt = torch.optim.SGD(cls.parameters(), lr=1e-3, momentum=0.9)
        labels = (torch.rand(16, 200, device=dev) > 0.99).float()
        step = train_step(cls, 16, 448, lambda y: F.binary_cross_entropy_with_logits(
            y.mean(dim=(2, 3)), labels), opt)
        rows.append((mode, "classifier train (ResNet-50 OS16, batch 16)", 16 / timed(step, args.iters)))

        cls.eval()
        images = {s: torch.randn(2, 3, int(448 * s), int(448 * s), device=dev) for s in (1.0, 0.5, 1.5, 2.0)}

        def cams():
            with torch.no_grad():
                for x in images.values():
                    F.relu(cls(x))
        rows.append((mode, "make-cams (4 scales + flip)", 1 / timed(cams, args.iters)))
        del cls, opt

        feats = Features().to(dev).train()
        opt = torch.optim.SGD(feats.parameters(), lr=1e-3, momentum=0.9)
        step = train_step(feats, 8, 448, lambda y: (y ** 2).mean(), opt)
        rows.append((mode, "affinity train (ResNet-50 OS8, batch 8)", 8 / timed(step, args.iters)))
        feats.eval()
        one = torch.randn(1, 3, 448, 448, device=dev)

        def walk_features():
            with torch.no_grad():
                feats(one)
        rows.append((mode, "random-walk features (1 image)", 1 / timed(walk_features, args.iters)))
        del feats, opt

        seg = torchvision.models.segmentation.deeplabv3_resnet101(weights=None, weights_backbone=None,
                                                                   num_classes=201, aux_loss=False).to(dev).train()
        opt = torch.optim.SGD(seg.parameters(), lr=1e-3, momentum=0.9)
        target = torch.randint(0, 201, (8, 448, 448), device=dev)
        step = train_step(seg, 8, 448, lambda y: F.cross_entropy(y["out"], target), opt)
        rows.append((mode, "segmentation train (DeepLab v3 ResNet-101 OS8, batch 8)", 8 / timed(step, args.iters)))
        seg.eval()
        pair = torch.randn(2, 3, 448, 448, device=dev)

        def predict():
            with torch.no_grad():
                seg(pair)["out"].softmax(1)
        rows.append((mode, "predict (image + flip)", 1 / timed(predict, args.iters)))
        del seg, opt
        torch.cuda.empty_cache()

    print("\n| math | work | images/s |\n|---|---|---|")
    for mode, what, ips in rows:
        print(f"| {mode} | {what} | {ips:.1f} |")


if __name__ == "__main__":
    main()
