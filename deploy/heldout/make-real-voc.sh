#!/usr/bin/env bash
# Builds the held-out real-photo VOC-layout set: Tux Paint's photo stamps (real object photos with alpha masks)
# composited on crops of MATE's nature photographs. Installs what it needs from Debian (run as root on Debian).
# Usage: deploy/heldout/make-real-voc.sh OUT_DIR [--seed N] [--train N] [--val N] [--size PX]
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 OUT_DIR [--seed N] [--train N] [--val N] [--size PX]" >&2
  exit 2
fi
out=$1
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

need=()
/usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null || need+=(python3 python3-numpy python3-pil)
[[ -f /usr/share/tuxpaint/stamps/animals/mammals/dogs/dog.png ]] || need+=(tuxpaint-stamps-default)
[[ -f /usr/share/backgrounds/mate/nature/Garden.jpg ]] || need+=(mate-backgrounds)
if [[ ${#need[@]} -gt 0 ]]; then
  echo "make-real-voc: installing ${need[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
fi

# Debian's python3 explicitly: another python3 earlier on PATH may lack numpy and PIL.
exec /usr/bin/python3 "$here/make_real_voc.py" --out "$out" "$@"
