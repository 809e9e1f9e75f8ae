#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, spark.worker.resource.gpu.discoveryScript):
# prints the GPUs nvidia-smi sees as Spark's ResourceInformation JSON, e.g. {"name": "gpu", "addresses": ["0", "1"]}.
# Without nvidia-smi (or when it fails) the list is empty and the exit status still 0, so Spark itself reports
# that the executor has fewer GPUs than spark.executor.resource.gpu.amount asks for.
# NVIDIA_SMI: the nvidia-smi command to use (default: nvidia-smi on PATH).
set -u

smi=${NVIDIA_SMI:-nvidia-smi}
addresses=""
if command -v "$smi" >/dev/null 2>&1; then
  if indices=$("$smi" --query-gpu=index --format=csv,noheader 2>/dev/null); then
    while IFS= read -r line; do
      line=${line//[[:space:]]/}
      if [[ "$line" =~ ^[0-9]+$ ]]; then
        addresses+="${addresses:+, }\"$line\""
      fi
    done <<< "$indices"
  else
    echo "discover-gpus: '$smi --query-gpu=index' failed; reporting no GPUs" >&2
  fi
fi
printf '{"name": "gpu", "addresses": [%s]}\n' "$addresses"
exit 0
