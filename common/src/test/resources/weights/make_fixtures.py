"""Makes the weights-import test fixtures in this folder with real PyTorch (run once, outputs committed).

    python common/src/test/resources/weights/make_fixtures.py   # torch (CPU) and safetensors installed

Tests read only the committed files; nothing at test time needs Python. Files (each a few KB at most):
  tiny_net.safetensors      state_dict of a small conv/BN/linear net saved by safetensors.torch.save_file
                            (includes BatchNorm's int64 num_batches_tracked)
  tiny_net.pth              the same state_dict saved by torch.save (zip format)
  tiny_net_checkpoint.pth   {"state_dict": that state_dict, "epoch": 7, "best": 0.5, "arch": "tiny"}
  dtypes.safetensors        f32/f16/bf16 tensors whose element i is (i - 4) * 0.25 (exact in every dtype)
  dtypes.pth                the same plus a contiguous row view (storage offset 12 into arange(24).reshape(4, 6)),
                            an nn.Parameter (arange(3)) and a 0-dim tensor (2.5)
  transposed.pth            {"t": arange(6).reshape(2, 3).t()}, a non-contiguous tensor
  namespace.pth             {"state_dict": {...}, "args": argparse.Namespace(lr=0.1)}, a non-tensor Python object
  module.pth                torch.save of a whole nn.Linear module, not a state_dict
  legacy.pth                torch.save(..., _use_new_zipfile_serialization=False), the pre-1.6 bare pickle
"""
import argparse
import os

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name):
    return os.path.join(HERE, name)


def tiny_net():
    torch.manual_seed(13)
    net = torch.nn.Sequential()
    net.add_module("conv1", torch.nn.Conv2d(3, 4, 3, bias=False))
    net.add_module("bn1", torch.nn.BatchNorm2d(4))
    net.add_module("fc", torch.nn.Linear(4, 5))
    # Non-trivial running statistics and a counter, as a trained checkpoint has.
    net.train()
    net(torch.randn(2, 3, 6, 6))
    return net.state_dict()


def ramp(n, dtype):
    return ((torch.arange(n, dtype=torch.float32) - 4) * 0.25).to(dtype)


def main():
    sd = tiny_net()
    save_file(sd, out("tiny_net.safetensors"), metadata={"made_by": "make_fixtures.py"})
    torch.save(sd, out("tiny_net.pth"))
    torch.save({"state_dict": sd, "epoch": 7, "best": 0.5, "arch": "tiny"}, out("tiny_net_checkpoint.pth"))

    dtypes = {"f32": ramp(8, torch.float32).reshape(2, 4), "f16": ramp(8, torch.float16),
              "bf16": ramp(6, torch.bfloat16).reshape(3, 2)}
    save_file(dtypes, out("dtypes.safetensors"))
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    with_views = dict(dtypes)
    with_views["row2"] = base[2]
    with_views["param"] = torch.nn.Parameter(torch.arange(3, dtype=torch.float32))
    with_views["scalar"] = torch.tensor(2.5)
    torch.save(with_views, out("dtypes.pth"))

    torch.save({"t": torch.arange(6, dtype=torch.float32).reshape(2, 3).t()}, out("transposed.pth"))
    torch.save({"state_dict": {"w": torch.ones(2)}, "args": argparse.Namespace(lr=0.1)}, out("namespace.pth"))
    torch.save(torch.nn.Linear(2, 2), out("module.pth"))
    torch.save({"w": torch.ones(2)}, out("legacy.pth"), _use_new_zipfile_serialization=False)


if __name__ == "__main__":
    main()
