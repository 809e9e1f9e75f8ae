#!/usr/bin/env bash
# Whole-process times (JVM start to exit, as a user's per-image script sees them) of `wsss --help`, `wsss kernel crf`
# on a 500x375 image with 21 labels and `wsss kernel random-walk` on an 80x80 grid, for one or more source trees,
# alternating between the trees so that machine load falls on each alike. Each tree's launcher builds its jar
# first if needed (run each tree's deploy/bin/wsss --help once beforehand to keep builds out of the timings).
# Usage: deploy/heldout/startup-times.sh [-n RUNS] [--image PHOTO.jpg] TREE [TREE...]
#   e.g. git worktree add /tmp/prev HEAD~1 && deploy/heldout/startup-times.sh /tmp/prev .
set -euo pipefail

runs=5
photo=""
while [[ $# -gt 0 && "$1" == -* ]]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --image) photo=$2; shift 2 ;;
    *) echo "usage: $0 [-n RUNS] [--image PHOTO.jpg] TREE [TREE...]" >&2; exit 2 ;;
  esac
done
if [[ $# -lt 1 ]]; then
  echo "usage: $0 [-n RUNS] [--image PHOTO.jpg] TREE [TREE...]" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Inputs: CAM-like probabilities (21 labels, blocks of a confident label), a photo (or a textured PNG when none is
# given), random 80x80 CAMs and affinity features. Python's standard library only.
python3 - "$work" "$photo" <<'EOF'
import array, random, struct, sys, zlib
out, photo = sys.argv[1], sys.argv[2]
def npy(path, shape, values):
    hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % ", ".join(map(str, shape))
    hdr = hdr.ljust(117) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) + hdr.encode() + values.tobytes())
h, w, k = 375, 500, 21
p = array.array("f", bytes(4 * k * h * w))
for y in range(h):
    for x in range(w):
        c = (x // 100 + y // 125 * 5) % k
        for j in range(k):
            p[j * h * w + y * w + x] = 0.6 if j == c else 0.4 / (k - 1)
npy(out + "/probs.npy", (k, h, w), p)
if not photo:
    rnd = random.Random(3)
    raw = b"".join(b"\x00" + bytes(min(255, max(0, (x * 7 + y * 3 + rnd.randint(-40, 40)) % 256))
                                   for x in range(w) for _ in range(3)) for y in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(out + "/image.png", "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
rnd = random.Random(1)
for name, c in (("cams", 21), ("features", 16)):
    npy(out + "/" + name + ".npy", (c, 80, 80), array.array("f", [rnd.random() for _ in range(c * 80 * 80)]))
EOF
image=${photo:-$work/image.png}
if [[ -n "$photo" ]]; then
  python3 - "$photo" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
i = 2
while i < len(d):  # JPEG: find the frame header for the size
    marker, length = d[i + 1], struct.unpack(">H", d[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC1, 0xC2):
        h, w = struct.unpack(">HH", d[i + 5:i + 9])
        if (w, h) != (500, 375):
            sys.exit(f"--image {sys.argv[1]}: is {w}x{h}, need 500x375 to match the probabilities")
        break
    i += 2 + length
EOF
fi

commands=(
  "--help"
  "kernel crf --image $image --probs $work/probs.npy --out $work/q.npy"
  "kernel random-walk --cams $work/cams.npy --features $work/features.npy --out $work/w.npy"
)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $runs runs per tree and command"
printf '| tree | command | median s | runs (s) |\n|---|---|---|---|\n'
for c in "${commands[@]}"; do
  for tree in "$@"; do
    times=()
    for _ in $(seq "$runs"); do
      /usr/bin/time -o "$work/t" -f "%e" "$tree/deploy/bin/wsss" $c >/dev/null 2>"$work/err" || {
        echo "$tree: wsss $c failed:" >&2; cat "$work/err" >&2; exit 1; }
      times+=("$(tail -1 "$work/t")")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
    printf '| %s (%s) | wsss %s | %s | %s |\n' "$tree" "$(git -C "$tree" rev-parse --short HEAD 2>/dev/null || echo ?)" \
      "$(cut -d' ' -f1-2 <<< "$c")" "$median" "${times[*]}"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
