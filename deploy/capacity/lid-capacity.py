#!/usr/bin/env python3
"""The LID capacity model of README.md (Dataset scale): wall time per stage for the LID training set (456,567 images)
on E GPU executors (one GPU and --cores CPU cores each) under conf/cluster.conf, with the bottleneck named per stage.

Each stage's time is the larger of its GPU work and its CPU work spread over the executors, plus, for the training
stages, what parameter averaging adds per round: a fixed cost (the Spark job and the driver's part, measured by
`deploy/bin/bench averaging`) and the bytes that pass through the driver's network link. With torrent broadcast the
driver sends about one copy of parameters + updater state; with tree aggregation (depth 2) it receives about
ceil(sqrt(E)) partial sums of the same size. Each training epoch also shuffles every example's encoded image once
(the epoch's order puts each example on the worker and round that fits it), spread over the executors' links.
Standard library only; every input is a flag with its source in --help.
Usage: python3 deploy/capacity/lid-capacity.py [--executors 4,16,64] [--round-fixed-s 0.35] ...
       python3 deploy/capacity/lid-capacity.py --sweep-frequency   (averaging overhead per frequency, ResNet-50)
"""
import argparse
import math

LID_TRAIN = 456_567


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--executors", default="4,16,64")
    p.add_argument("--cores", type=int, default=8, help="CPU cores per GPU executor")
    # GPU images/s per card: deploy/gpu/torch-throughput.py on an H200, FP32 (README, Dataset scale)
    p.add_argument("--gpu-classifier-train", type=float, default=171.7)
    p.add_argument("--gpu-cams", type=float, default=30.6)
    p.add_argument("--gpu-affinity-train", type=float, default=60.8)
    p.add_argument("--gpu-walk-features", type=float, default=152.0)
    p.add_argument("--gpu-seg-train", type=float, default=24.1,
                   help="measured for DeepLab v3 on ResNet-101 at output stride 8, a heavier net than cluster.conf's "
                        "v3+ on ResNet-50 at 16: a lower bound of the rate, so the row is an upper bound of the time")
    p.add_argument("--gpu-factor", type=float, default=1.0,
                   help="ND4J's cuDNN throughput as a fraction of PyTorch's on the same card (unmeasured: 1 = best case)")
    # CPU seconds per image on one core at LID's ~500x375 JPEGs: `deploy/bin/bench per-image` (PerImageCostBench)
    # and the scale harness's plumbing (`deploy/bin/bench scale`, README Dataset scale)
    p.add_argument("--cpu-ingest", type=float, default=0.010,
                   help="read, decode with checks (4.7 ms), manifest row and Parquet write of the bytes")
    p.add_argument("--cpu-decode", type=float, default=0.0043, help="JPEG decode for a network stage")
    p.add_argument("--cpu-crf", type=float, default=0.240, help="dense CRF, 500x375, 3 labels, 10 iterations")
    p.add_argument("--cpu-walk", type=float, default=0.055,
                   help="affinity field from 448 features (35 ms) + sparse walk 56x56, t=256, 3 maps (20 ms)")
    p.add_argument("--plumbing", type=float, default=0.0002,
                   help="Spark and Parquet per image and stage on one core: the scale harness's lightest stages at "
                        "50,000 images (ingest 0.081, make-affinity-labels 0.058 ms per image on 2 cores)")
    # training (conf/cluster.conf)
    p.add_argument("--classifier-epochs", type=int, default=5)
    p.add_argument("--affinity-epochs", type=int, default=8)
    p.add_argument("--seg-epochs", type=int, default=8)
    p.add_argument("--batch", type=int, default=16, help="minibatch per worker (classifier; affinity and seg: 8)")
    p.add_argument("--averaging-frequency", type=int, default=32, help="conf/cluster.conf, every trainer")
    p.add_argument("--resnet50-floats", type=float, default=2 * 23.9e6,
                   help="parameters + SGD momentum of the ResNet-50 classifier (AveragingCostBench)")
    p.add_argument("--seg-floats", type=float, default=2 * 40.4e6,
                   help="parameters + momentum of conf/cluster.conf's DeepLab v3+ on ResNet-50 (backbone 23.5 M, ASPP "
                        "15.5 M, decoder 1.3 M, counted from SegNets' layer widths)")
    p.add_argument("--round-fixed-s", type=float, default=0.152,
                   help="AveragingCostBench: a round's cost beyond the fit for the small net (0.9 M floats)")
    p.add_argument("--round-per-float-s", type=float, default=6.2e-8,
                   help="AveragingCostBench: what each float of parameters + updater state adds to a round "
                        "(ResNet-50, 47.1 M floats: 3.013 s; serialising, broadcasting, summing and copying back)")
    p.add_argument("--driver-gbit", type=float, default=25.0, help="driver network link, Gbit/s")
    p.add_argument("--executor-gbit", type=float, default=10.0, help="each executor's network link, Gbit/s")
    p.add_argument("--image-bytes", type=float, default=110e3,
                   help="mean encoded training image (ILSVRC JPEGs: about 138 GB for 1.28 M ImageNet images)")
    p.add_argument("--sweep-frequency", action="store_true",
                   help="print the averaging share of a ResNet-50 classifier round per averaging frequency instead")
    a = p.parse_args()

    def averaging_per_round(floats, e):
        driver_bytes = floats * 4 * (1 + math.ceil(math.sqrt(e)))
        return a.round_fixed_s + a.round_per_float_s * floats + driver_bytes * 8 / (a.driver_gbit * 1e9)

    def training(examples, batch, gpu_rate, floats, e):
        rounds = math.ceil(examples / (e * batch * a.averaging_frequency))
        compute = examples / (e * gpu_rate * a.gpu_factor)
        cpu = examples * (a.cpu_decode + a.plumbing) / (e * a.cores)
        shuffle = examples * a.image_bytes * 8 * 2 / (e * a.executor_gbit * 1e9)  # written out, read back in
        averaging = rounds * averaging_per_round(floats, e)
        parts = {"GPU": compute, "CPU (decode)": cpu, "averaging (driver)": averaging,
                 "image shuffle": shuffle}
        return max(compute, cpu) + averaging + shuffle, max(parts, key=parts.get)

    def per_image(gpu_rate, cpu_s, e, cpu_name):
        gpu = LID_TRAIN / (e * gpu_rate * a.gpu_factor) if gpu_rate else 0
        cpu = LID_TRAIN * (cpu_s + a.plumbing) / (e * a.cores)
        return max(gpu, cpu), ("GPU" if gpu >= cpu else "CPU (" + cpu_name + ")")

    executors = [int(x) for x in a.executors.split(",")]
    if a.sweep_frequency:
        print(f"ResNet-50 classifier, batch {a.batch} per worker, {a.gpu_classifier_train:g} images/s per GPU x "
              f"{a.gpu_factor:g}; averaging round: {a.round_fixed_s:g} s + {a.round_per_float_s:g} s per float of "
              f"parameters and momentum (AveragingCostBench), then those bytes over a {a.driver_gbit:g} Gbit/s driver "
              f"link\n")
        print("| averaging frequency | " + " | ".join(f"{e} executors: round s, averaging share" for e in executors)
              + " |")
        print("|---|" + "---|" * len(executors))
        for f in (1, 2, 4, 8, 16, 32, 64):
            cells = []
            for e in executors:
                compute = f * a.batch / (a.gpu_classifier_train * a.gpu_factor)
                avg = averaging_per_round(a.resnet50_floats, e)
                cells.append(f"{compute + avg:.2f} s, {avg / (compute + avg):.0%}")
            print(f"| {f} | " + " | ".join(cells) + " |")
        return
    print(f"LID train set {LID_TRAIN:,} images; {a.cores} CPU cores per GPU executor; averaging every "
          f"{a.averaging_frequency} minibatches; driver link {a.driver_gbit:g} Gbit/s; GPU rates x {a.gpu_factor:g}\n")
    print("| stage | " + " | ".join(f"{e} executors" for e in executors) + " | bottleneck |")
    print("|---|" + "---|" * len(executors) + "---|")
    rows = [
        ("ingest", lambda e: per_image(0, a.cpu_ingest, e, "read, decode")),
        (f"train-classifier (ResNet-50, {epochs(a.classifier_epochs)})", lambda e: training(
            a.classifier_epochs * LID_TRAIN, a.batch, a.gpu_classifier_train, a.resnet50_floats, e)),
        ("make-cams (4 scales + flip)", lambda e: per_image(a.gpu_cams, a.cpu_decode, e, "decode")),
        ("make-affinity-labels (2 CRFs)", lambda e: per_image(0, a.cpu_decode + 2 * a.cpu_crf, e, "CRF")),
        (f"train-affinity (ResNet-50, {epochs(a.affinity_epochs)})", lambda e: training(
            a.affinity_epochs * LID_TRAIN, 8, a.gpu_affinity_train, a.resnet50_floats, e)),
        ("random-walk (features, walk, CRF)", lambda e: per_image(
            a.gpu_walk_features, a.cpu_decode + a.cpu_walk + a.cpu_crf, e, "CRF, walk")),
        (f"train-segmentation (DeepLab v3+ ResNet-50, {epochs(a.seg_epochs)})", lambda e: training(
            a.seg_epochs * LID_TRAIN, 8, a.gpu_seg_train, a.seg_floats, e)),
    ]
    totals = [0.0] * len(executors)
    for name, f in rows:
        cells, bounds = [], []
        for i, e in enumerate(executors):
            t, b = f(e)
            totals[i] += t
            cells.append(hours(t))
            bounds.append(b)
        bound = bounds[0] if len(set(bounds)) == 1 else ", ".join(f"{e}: {b}" for e, b in zip(executors, bounds))
        print(f"| {name} | " + " | ".join(cells) + f" | {bound} |")
    print("| all stages | " + " | ".join(hours(t) for t in totals) + " | |")


def epochs(n):
    return f"{n} epoch" + ("" if n == 1 else "s")


def hours(seconds):
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


if __name__ == "__main__":
    main()
