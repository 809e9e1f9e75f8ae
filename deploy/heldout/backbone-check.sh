#!/usr/bin/env bash
# Held-out check of the PyTorch weights import (issue 13): full torchvision ResNet-50 and ResNet-101 with random
# weights in safetensors, real photos, PyTorch's logits against `wsss kernel backbone`'s (max relative difference
# <= 1e-3 and identical top-5 per photo). Not part of CI: it needs a Python with torch, torchvision and pillow.
# Usage: deploy/heldout/backbone-check.sh [PHOTO ...]
#   PYTHON   the interpreter with torch (default python3)
#   PHOTO    default: three photos of /tmp/real-voc/JPEGImages (make-real-voc.sh) and one MATE wallpaper crop
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
if ! "$python" -c 'import importlib.util, torch, PIL; assert importlib.util.find_spec("torchvision")' 2>/dev/null; then
  echo "backbone-check: $python lacks torch, torchvision or pillow; set PYTHON to an interpreter that has them" >&2
  exit 2
fi
photos=("$@")
if [[ ${#photos[@]} -eq 0 ]]; then
  photos=($(ls /tmp/real-voc/JPEGImages/*.jpg 2>/dev/null | head -n 3) \
    $(ls /usr/share/backgrounds/mate/nature/Garden.jpg 2>/dev/null || true))
fi
if [[ ${#photos[@]} -eq 0 ]]; then
  echo "backbone-check: no photos given and none found in /tmp/real-voc/JPEGImages" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" "$here/backbone_check.py" "$root/deploy/bin/wsss" "$work" "${photos[@]}"
