#!/usr/bin/env bash
# The held-out hostile replay: runs the CLI on a small VOC-layout set with hostile additions and expects, for each
# case, the exit code and a clear one-line message, and nothing read from or written outside the dataset and run
# directories. Cases: a traversal id, duplicate ids across splits, a pixel bomb, a deleted part file, a corrupt
# commit marker, NaN kernel input, two writers on one run directory. Prints one table; exits 1 when a case fails.
# Usage: deploy/heldout/hostile.sh [WORK_DIR]   (default: a new folder under /tmp; kept for inspection)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# WSSS: the command to run (tests point it at the built classes); default the project launcher
wsss=${WSSS:-$root/deploy/bin/wsss}
W=${1:-$(mktemp -d /tmp/wsss-hostile.XXXXXX)}
W=$(mkdir -p "$W" && cd "$W" && pwd)
# the python3 with numpy: the one on PATH (what deploy/bin/test checks and installs), else Debian's
py=python3
if ! python3 -c "import numpy" >/dev/null 2>&1 && [[ -x /usr/bin/python3 ]]; then
  py=/usr/bin/python3
fi
data="$W/data"
logs="$W/logs"
mkdir -p "$logs" "$W/outside"
classes='dataset.classes=[disc, square, triangle, ring, cross, star]'
common=(--set dataset.format=voc --set "$classes" --set runtime.local-master=local[1])

rows=()
failed=0
# record NAME EXPECTED_EXIT ACTUAL_EXIT LOG PATTERN: passes when the exit code matches and the log has the pattern
record() {
  local name=$1 want=$2 got=$3 log=$4 pattern=$5 line
  line=$(grep -m1 -E -- "$pattern" "$log" | sed -E 's/^[0-9:]+ (WARN|INFO|ERROR) [A-Za-z]+: //' | cut -c1-150)
  if [[ "$got" == "$want" && -n "$line" ]]; then
    rows+=("| $name | PASS | exit $got | ${line//|/\\|} |")
  else
    rows+=("| $name | FAIL | exit $got (want $want) | ${line:-no line matching '$pattern' in $log} |")
    failed=1
  fi
}

# A dataset per case, copied from one small export (VOC layout: JPEG images, PNG masks, XML, split lists).
"$wsss" export-synthetic --out "$W/base" --count 12 --size 48 --seed 5 >"$logs/export.log" 2>&1 \
  || { echo "export-synthetic failed: see $logs/export.log" >&2; exit 1; }
variant() {
  rm -rf "$data-$1" && cp -r "$W/base" "$data-$1" && echo "$data-$1"
}
first_train=$(head -1 "$W/base/ImageSets/Segmentation/train.txt")
first_val=$(head -1 "$W/base/ImageSets/Segmentation/val.txt")
# the decoy a traversal id would reach, made before the clock starts: it must stay untouched
cp "$W/base/JPEGImages/$first_train.jpg" "$W/outside/evil.jpg"
cp "$W/base/SegmentationClass/$first_train.png" "$W/outside/evil.png"
decoy_sum=$(cat "$W/outside/evil.jpg" "$W/outside/evil.png" | md5sum)
touch "$W/.stamp"
sleep 1

# 1. Traversal: an id that climbs out of the image folder, with a decoy image waiting there.
d=$(variant traversal)
echo "../../outside/evil" >>"$d/ImageSets/Segmentation/train.txt"
"$wsss" ingest --run-dir "$W/run-traversal" --set "dataset.root=$d" "${common[@]}" >"$logs/traversal.log" 2>&1
record "traversal id ../../outside/evil" 0 $? "$logs/traversal.log" "quarantined \.\./\.\./outside/evil: .*'\.\.' segment"

# 2. Duplicate ids: one image in both splits fails ingest naming it.
d=$(variant duplicate)
echo "$first_val" >>"$d/ImageSets/Segmentation/train.txt"
"$wsss" ingest --run-dir "$W/run-duplicate" --set "dataset.root=$d" "${common[@]}" >"$logs/duplicate.log" 2>&1
record "id in train and val" 2 $? "$logs/duplicate.log" "image id '$first_val' is listed in split"

# 3. Pixel bomb: a JPEG whose frame header declares 30000x30000 (a few kB on disk).
d=$(variant bomb)
cp "$d/Annotations/$first_train.xml" "$d/Annotations/bomb.xml"
cp "$d/SegmentationClass/$first_train.png" "$d/SegmentationClass/bomb.png"
$py - "$d/JPEGImages/$first_train.jpg" "$d/JPEGImages/bomb.jpg" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
i = 2
while b[i] == 0xFF and b[i + 1] not in (0xC0, 0xC1, 0xC2):
    i += 2 + struct.unpack(">H", b[i + 2:i + 4])[0]
struct.pack_into(">HH", b, i + 5, 30000, 30000)
open(sys.argv[2], "wb").write(bytes(b))
EOF
echo bomb >>"$d/ImageSets/Segmentation/train.txt"
"$wsss" ingest --run-dir "$W/run-bomb" --set "dataset.root=$d" "${common[@]}" >"$logs/bomb.log" 2>&1
record "pixel bomb 30000x30000 JPEG" 0 $? "$logs/bomb.log" "quarantined bomb: .*declares 30000x30000"

# 4. A deleted part file after ingest committed: the next stage refuses, naming the file and the stage to rerun.
d=$(variant good)
run="$W/run-good"
"$wsss" ingest --run-dir "$run" --set "dataset.root=$d" "${common[@]}" >"$logs/good-ingest.log" 2>&1
part=$(ls "$run"/ingest/manifest/part-*.parquet 2>/dev/null | head -1)
rm -f "$part"
"$wsss" train-classifier --run-dir "$run" --set "dataset.root=$d" "${common[@]}" \
  --set classifier.epochs=1 >"$logs/deleted-part.log" 2>&1
record "deleted manifest part file" 2 $? "$logs/deleted-part.log" "$(basename "$part").*rerun stage ingest"

# 5. A corrupt commit marker: the stage counts as incomplete, says so naming the file, and reruns.
"$wsss" ingest --run-dir "$run" --set "dataset.root=$d" "${common[@]}" >"$logs/reingest.log" 2>&1
printf '{"stage": "ingest", "fingerprint": ' >"$run/ingest/_STAGE.json"
"$wsss" ingest --run-dir "$run" --set "dataset.root=$d" "${common[@]}" >"$logs/corrupt-marker.log" 2>&1
record "corrupt _STAGE.json, rerun" 0 $? "$logs/corrupt-marker.log" "_STAGE.json is unreadable.*counts as incomplete and reruns"

# 6. NaN in a kernel's input: refused with the element named, no output written.
mkdir -p "$W/kernel"
$py - "$W/kernel" <<'EOF'
import sys
import numpy as np
d = sys.argv[1]
c = np.random.RandomState(0).rand(3, 6, 6).astype(np.float32)
c[1, 2, 3] = np.nan
np.save(d + "/cams.npy", c)
np.save(d + "/features.npy", np.random.RandomState(1).rand(4, 6, 6).astype(np.float32))
EOF
"$wsss" kernel random-walk --cams "$W/kernel/cams.npy" --features "$W/kernel/features.npy" \
  --out "$W/kernel/out.npy" >"$logs/kernel-nan.log" 2>&1
code=$?
[[ -e "$W/kernel/out.npy" ]] && echo "out.npy was written" >>"$logs/kernel-nan.log" && code=99
record "NaN in random-walk --cams" 2 $code "$logs/kernel-nan.log" "element \(1, 2, 3\) is NaN"

# 7. Two writers on one run directory: the second is refused naming the holder; the first completes.
run2="$W/run-writers"
"$wsss" ingest --run-dir "$run2" --set "dataset.root=$d" "${common[@]}" >"$logs/writer1.log" 2>&1 &
first=$!
for _ in $(seq 1 120); do
  [[ -e "$run2/_LOCK" ]] && break
  sleep 0.5
done
"$wsss" ingest --run-dir "$run2" --set "dataset.root=$d" "${common[@]}" >"$logs/writer2.log" 2>&1
record "second writer on one run dir" 2 $? "$logs/writer2.log" "is in use by .*pid"
wait $first
record "first writer completes" 0 $? "$logs/writer1.log" "metrics"

# Nothing outside: no file changed after the start anywhere under $W but the datasets, run dirs, logs and kernel
# folder; the decoy is untouched and no file named after it exists.
outside=$(find "$W" -newer "$W/.stamp" -type f ! -path "$W/data-*" ! -path "$W/run-*" ! -path "$logs/*" \
  ! -path "$W/kernel/*" 2>/dev/null; find "$W/.." -maxdepth 2 -newer "$W/.stamp" -name '*evil*' 2>/dev/null)
if [[ "$(cat "$W/outside/evil.jpg" "$W/outside/evil.png" | md5sum)" != "$decoy_sum" ]]; then
  outside="$outside $W/outside/evil.* changed"
fi
if [[ -z "$outside" ]]; then
  rows+=("| nothing written outside the dataset and run dirs | PASS | - | find -newer under $W: none |")
else
  rows+=("| nothing written outside the dataset and run dirs | FAIL | - | $(echo $outside | cut -c1-150) |")
  failed=1
fi
if find "$W"/run-* -name '*evil*' | grep -q .; then
  rows+=("| no output named after the traversal id | FAIL | - | $(find "$W"/run-* -name '*evil*' | head -1) |")
  failed=1
else
  rows+=("| no output named after the traversal id | PASS | - | none under the run dirs |")
fi

echo
echo "Hostile replay, work folder $W (logs in $logs)"
echo "| case | result | exit | message |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit $failed
