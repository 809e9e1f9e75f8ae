#!/usr/bin/env bash
# The held-out check on real photos: builds the real-photo VOC-layout set if missing (make-real-voc.sh) and its
# scribbles (make_scribbles.py, from the masks), runs the whole pipeline on it through the VOC reader (boxes from the
# XML, dataset.scribbles set: train.supervision=boxes|scribbles use them), and prints one table of what each stage
# reached. Nothing in the project's defaults is tuned on this set; extra --set options go to the pipeline as given.
# Usage: deploy/heldout/check.sh OUT_DIR [RUN_DIR] [--set key=value ...]
#   OUT_DIR  the dataset folder (built there when OUT_DIR/ImageSets/Segmentation/val.txt is missing)
#   RUN_DIR  the pipeline's run directory (default OUT_DIR-run); an up-to-date stage there is skipped
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 OUT_DIR [RUN_DIR] [--set key=value ...]" >&2
  exit 2
fi
out=${1%/}
shift
run="$out-run"
if [[ $# -gt 0 && "$1" != -* ]]; then
  run=${1%/}
  shift
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

if [[ ! -f "$out/ImageSets/Segmentation/val.txt" ]]; then
  "$here/make-real-voc.sh" "$out"
fi
# scribbles drawn from the masks along each region's middle, for train.supervision=scribbles (boxes are in the XML)
if [[ ! -d "$out/Scribbles" ]]; then
  /usr/bin/python3 "$here/make_scribbles.py" "$out" "$out/Scribbles.tmp" && mv "$out/Scribbles.tmp" "$out/Scribbles"
fi

start=$(date +%s)
"$root/deploy/bin/wsss" pipeline --run-dir "$run" \
  --set dataset.format=voc --set "dataset.root=$out" \
  --set 'dataset.classes=[apple, orange, canine, bigcat, cattle, sheep, horse, deer, car, truck]' \
  --set "dataset.scribbles=$out/Scribbles" \
  "$@"
wall=$(( $(date +%s) - start ))

/usr/bin/python3 - "$run" "$wall" <<'EOF'
import json, os, sys

run, wall = sys.argv[1], int(sys.argv[2])

def metrics(stage):
    p = os.path.join(run, stage, "metrics.json")
    if not os.path.exists(p):
        return {}
    with open(p) as f:
        return json.load(f)

def num(v):
    return "-" if v is None else ("%.3f" % v if isinstance(v, float) else str(v))

tc = metrics("train-classifier")
rows = []
epochs = tc.get("epochs", [])
# long schedules: the first ten epochs, then every step-th and the last, about thirty rows in all
step = max(1, -(-len(epochs) // 20))
for i, e in enumerate(epochs):
    if i >= 10 and (i + 1) % step != 0 and i != len(epochs) - 1:
        continue
    rows.append(("classifier holdout micro-F1 / mAP, epoch %s" % e.get("epoch", i),
                 "%s / %s  (chance %s / %s, loss %s)" % (num(e.get("holdout_micro_f1")), num(e.get("holdout_map")),
                 num(e.get("holdout_chance_micro_f1")), num(e.get("holdout_chance_map")), num(e.get("train_loss")))))
rows.append(("classifier holdout micro-F1 / mAP, model kept", "%s / %s  (epoch %s, selected by %s)"
             % (num(tc.get("holdout_micro_f1")), num(tc.get("holdout_map")), num(tc.get("selected_epoch")),
                tc.get("selected_by", "-"))))
rows.append(("classifier val micro-F1 / mAP, model kept (reported only)", "%s / %s  (chance %s / %s, %s images)"
             % (num(tc.get("val_micro_f1")), num(tc.get("val_map")), num(tc.get("val_chance_micro_f1")),
                num(tc.get("val_chance_map")), num(tc.get("num_val")))))
uf = tc.get("underfit", {})
rows.append(("classifier train loss, last epoch / best constant answer", "%s / %s  (ratio %s%s)"
             % (num(uf.get("train_loss")), num(uf.get("constant_answer_loss")), num(uf.get("ratio")),
                ", classifier.underfit" if uf.get("underfit") else "")))
rows.append(("CAM mIoU (eval-cams)", num(metrics("eval-cams").get("miou"))))
cov = metrics("make-affinity-labels").get("label_coverage", {})
rows.append(("tags with no confident cell in the affinity labels", "%s of %s%s"
             % (num(cov.get("tagged_classes_without_cells")), num(cov.get("tagged_classes")),
                "  (affinity.labels-collapse)" if cov.get("collapsed") else "")))
el = metrics("eval-labels")
rows.append(("pseudo-label mIoU, all / val (eval-labels)", "%s / %s" % (num(el.get("miou")), num(el.get("val_miou")))))
ev = metrics("evaluate")
rows.append(("segmentation mIoU, val (evaluate)", num(ev.get("miou"))))
rows.append(("num_missing_predictions (evaluate)", num(ev.get("num_missing_predictions"))))
stages = ["ingest", "train-classifier", "make-cams", "eval-cams", "make-affinity-labels", "train-affinity",
          "random-walk", "eval-labels", "train-segmentation", "predict", "evaluate"]
secs = ["%s %s" % (s, "%.0f" % metrics(s)["seconds"]) for s in stages if "seconds" in metrics(s)]
rows.append(("stage seconds", ", ".join(secs) or "-"))
rows.append(("wall time of the pipeline", "%d s" % wall))
w = max(len(k) for k, _ in rows)
print()
print("Held-out real-photo check, run directory " + run)
print("| %s | %s |" % ("what".ljust(w), "value"))
print("|%s|%s|" % ("-" * (w + 2), "-" * 7))
for k, v in rows:
    print("| %s | %s |" % (k.ljust(w), v))
EOF
