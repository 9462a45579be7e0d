#!/usr/bin/env bash
# Creates (or checks) the sampler worker's venv: requirements.txt from PyPI, ~360 MB, about a
# minute on a first install. GPSampler also needs PyTorch: rather than a second ~3 GB install
# (PyPI's Linux torch wheel pulls the CUDA libraries; the CPU-only wheels are not on PyPI), the
# venv imports torch from the PyTorch trainer's venv through a .pth file when that venv exists
# with the same Python (trainers/pytorch/ci.sh creates it). Without it CMA-ES works and GP
# sweeps fail with a message saying so.
# Prints the venv's python as its last line; exits 1 (saying why) when it cannot be set up.
# --check: install nothing, only say (exit 0/1) whether the venv is ready.
set -uo pipefail
check=false
[ "${1:-}" = --check ] && check=true
here="$(cd "$(dirname "$0")" && pwd)"
VENV="${RETUNE_SAMPLER_VENV:-$HOME/.cache/retune/venv-sampler-optuna-5.0.0}"
TORCH_VENV="${RETUNE_TORCH_VENV:-$HOME/.cache/retune/venv-torch-2.15.0}"
PY="$VENV/bin/python"
stamp="$VENV/.retune-requirements"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"

if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$PY" -c 'import optuna, temporalio' 2>/dev/null; then
  $check && { echo "sampler venv: $VENV is not set up (samplers/optuna/setup.sh)" >&2; exit 1; }
  command -v python3 >/dev/null || { echo "sampler venv: python3 is not installed" >&2; exit 1; }
  echo "sampler venv: installing $(grep -v '^#' "$here/requirements.txt" | xargs) into $VENV …" >&2
  start=$SECONDS
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  if ! { python3 -m venv "$VENV" &&
    "$PY" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt" >&2; }; then
    rm -rf "$VENV"
    echo "sampler venv: pip install failed (see above)" >&2
    exit 1
  fi
  echo "$want" >"$stamp"
  echo "sampler venv: installed in $((SECONDS - start)) s, $(du -sh "$VENV" | cut -f1)" >&2
fi

site="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
pth="$site/zz-retune-torch.pth"
if ! $check && ! "$PY" -c 'import torch' 2>/dev/null; then
  torch_site="$(ls -d "$TORCH_VENV"/lib/python3*/site-packages 2>/dev/null | head -n 1)"
  mine="$(basename "$(dirname "$site")")"
  if [ -n "$torch_site" ] && [ "$(basename "$(dirname "$torch_site")")" = "$mine" ]; then
    echo "$torch_site" >"$pth"
    "$PY" -c 'import torch' 2>/dev/null || rm -f "$pth"
  fi
fi
"$PY" -c 'import torch' 2>/dev/null ||
  echo "sampler venv: no PyTorch (GPSampler needs it): run 'npm run test:pytorch' once to create $TORCH_VENV, then this again" >&2
echo "$PY"
