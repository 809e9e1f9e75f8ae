#!/usr/bin/env bash
# Re-measures the README's stage-3 ablations on the synthetic demo set under honest selection (every segmentation
# net keeps its last epoch; val chooses nothing): each row copies the demo's run directory, reruns the pipeline
# from train-segmentation with the row's settings, and the table gives the net's single-scale val mIoU (its last
# epoch, during training; none for SegSort, which has no class scores) and evaluate's val mIoU (default TTA
# 0.5/1/2 + flip + CRF; SegSort rows: nearest-segment retrieval, single scale, no CRF). A row reruns only the
# stages its settings change (a k row: predict and evaluate).
# Usage: deploy/heldout/ablations.sh DEMO_RUN_DIR WORK_DIR [ROW ...]
#   DEMO_RUN_DIR  a finished `wsss demo --run-dir DIR` (stages 1-2 and the classifier the points path starts from)
#   WORK_DIR      one run directory per row is made under it (kept, so a row that finished is not rerun)
#   ROW           only these rows (names as in the table); all by default
set -euo pipefail

if [[ $# -lt 2 || "$1" == -* ]]; then
  echo "usage: $0 DEMO_RUN_DIR WORK_DIR [ROW ...]" >&2
  exit 2
fi
demo=${1%/}
work=${2%/}
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
if [[ ! -f "$demo/random-walk/_STAGE.json" ]]; then
  echo "ablations: $demo has no finished random-walk stage; run deploy/bin/wsss demo --run-dir $demo first" >&2
  exit 2
fi

points=(--set train.supervision=points --set train.points-source=gt-sample)
# SegSort on the same pseudo-labels: the embedding trained by segment sorting, predicted by nearest-segment retrieval
segsort=(--set train.method=segsort --set predict.method=knn)
# SPML (issue 17) on each label form, predicted by retrieval as the SegSort rows
spml=(--set train.method=spml --set predict.method=knn)
# SPML's fourth relation on top of a form's published terms (the rows name the form's weights): feature affinity at
# the public code's DensePose setting, 12 / 0.5 from cosine 0.95
spml_affinity=(--set spml.preset=keys --set spml.affinity-weight=0.5)
declare -A rows=(
  [labels-stride4]=""
  [labels-stride8]="--set train.output-stride=8"
  [points-ce]="${points[*]} --set train.triplet=false --set train.extension=false"
  [points-triplet]="${points[*]} --set train.extension=false"
  [points-extension]="${points[*]}"
  [points-ce-stride8]="${points[*]} --set train.triplet=false --set train.extension=false --set train.output-stride=8"
  [points-triplet-stride8]="${points[*]} --set train.extension=false --set train.output-stride=8"
  [segsort]="${segsort[*]}"
  [segsort-k1]="${segsort[*]} --set predict.knn-k=1"
  [segsort-k5]="${segsort[*]} --set predict.knn-k=5"
  [segsort-k50]="${segsort[*]} --set predict.knn-k=50"
  [segsort-grid3]="${segsort[*]} --set segsort.grid-side=3"
  [segsort-grid7]="${segsort[*]} --set segsort.grid-side=7"
  [segsort-embedding-softmax]="--set train.method=segsort --set predict.method=softmax-on-embedding"
  [masks]="--set train.supervision=masks"
  [boxes]="--set train.supervision=boxes"
  [scribbles]="--set train.supervision=scribbles"
  [segsort-boxes]="${segsort[*]} --set train.supervision=boxes"
  [segsort-scribbles]="${segsort[*]} --set train.supervision=scribbles"
  [spml]="${spml[*]}"
  [spml-boxes]="${spml[*]} --set train.supervision=boxes"
  [spml-scribbles]="${spml[*]} --set train.supervision=scribbles"
  [spml-points]="${spml[*]} ${points[*]}"
  [spml-points-affinity]="${spml[*]} ${points[*]} ${spml_affinity[*]} --set spml.annotation-weight=0.1 --set spml.cooccurrence-weight=0.1"
  [spml-scribbles-affinity]="${spml[*]} --set train.supervision=scribbles ${spml_affinity[*]} --set spml.annotation-weight=1.0 --set spml.cooccurrence-concentration=12 --set spml.cooccurrence-weight=0.5"
  [segsort-masks]="${segsort[*]} --set train.supervision=masks"
  [segsort-points]="${segsort[*]} ${points[*]}"
  [segsort-unsupervised]="${segsort[*]} --set train.supervision=unsupervised"
  [segsort-unsupervised-masks]="${segsort[*]} --set train.supervision=unsupervised --set segsort.prototype-labels=masks"
)
order=(labels-stride4 labels-stride8 points-ce points-triplet points-extension points-ce-stride8 points-triplet-stride8
  segsort segsort-k1 segsort-k5 segsort-k50 segsort-grid3 segsort-grid7 segsort-embedding-softmax masks segsort-masks segsort-points
  segsort-unsupervised segsort-unsupervised-masks boxes scribbles segsort-boxes segsort-scribbles spml spml-boxes
  spml-scribbles spml-points spml-points-affinity spml-scribbles-affinity)
[[ $# -gt 0 ]] && order=("$@")

mkdir -p "$work"
for row in "${order[@]}"; do
  [[ -v "rows[$row]" ]] || { echo "ablations: unknown row '$row' (rows: ${!rows[*]})" >&2; exit 2; }
  dir="$work/$row"
  if [[ ! -d "$dir" ]]; then
    cp -r "$demo" "$dir.tmp"
    rm -f "$dir.tmp/_LOCK"
    mv "$dir.tmp" "$dir"
  fi
  echo "ablations: $row" >&2
  read -r -a extra <<< "${rows[$row]}"
  "$root/deploy/bin/wsss" pipeline --run-dir "$dir" --from train-segmentation ${extra[@]+"${extra[@]}"} \
    > "$dir.log" 2>&1 || { echo "ablations: $row failed, see $dir.log" >&2; exit 1; }
done

/usr/bin/python3 - "$work" "${order[@]}" <<'EOF'
import json, os, sys

work, rows = sys.argv[1], sys.argv[2:]

def metrics(row, stage):
    p = os.path.join(work, row, stage, "metrics.json")
    return json.load(open(p)) if os.path.exists(p) else {}

# a row whose settings equal the demo's (labels-stride4) is skipped as up to date: it reports the demo's own run
print("| row | single scale, last epoch (val) | evaluate (val) | per-class IoU (evaluate) | selected_by | train-segmentation seconds |")
print("|---|---|---|---|---|---|")
for row in rows:
    ts, ev = metrics(row, "train-segmentation"), metrics(row, "evaluate")
    per_class = ", ".join("%s %.2f" % (k, v) for k, v in ev.get("per_class_iou", {}).items())
    print("| %s | %.3f | %.3f | %s | %s | %.0f |" % (row, ts.get("val_miou", float("nan")), ev.get("miou", float("nan")),
                                                  per_class, ts.get("selected_by", "-"), ts.get("seconds", float("nan"))))
EOF
