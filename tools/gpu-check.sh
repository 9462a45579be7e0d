#!/usr/bin/env bash
# tools/gpu-check.sh: on a host with an NVIDIA GPU (no network needed), runs a short real sweep
# through a GPU worker (--gpus auto) with the PyTorch reference trainer and, when
# `npm run setup:gpu` installed the GPU build, with the tfjs trainer; then prints each trial's
# backend and device and the sweep's GPU busy share (mean gpu_util of its trials).
# Uses what the machine has: node_modules, .tools/bin/temporal, and the torch venv that
# trainers/pytorch/ci.sh makes (RETUNE_TORCH_VENV, default ~/.cache/retune/venv-torch-2.15.0).
# Exit: 0 checked, 2 cannot check here (no GPU, no torch venv), 1 a check failed.
set -uo pipefail
cd "$(dirname "$0")/.."

cannot() { echo "gpu-check: $*" >&2; exit 2; }

if ! command -v nvidia-smi >/dev/null 2>&1; then
  cannot "no NVIDIA GPU here (nvidia-smi is not on PATH); run this on a GPU host. Nothing was run."
fi
gpus=$(nvidia-smi --query-gpu=index,name --format=csv,noheader 2>&1) ||
  cannot "no usable NVIDIA GPU here (nvidia-smi: $(echo "$gpus" | head -1)). Nothing was run."
[ -n "$gpus" ] || cannot "nvidia-smi lists no GPU. Nothing was run."
echo "gpu-check: GPUs:"
echo "$gpus" | sed 's/^/  /'

VENV="${RETUNE_TORCH_VENV:-$HOME/.cache/retune/venv-torch-2.15.0}"
[ -x "$VENV/bin/python" ] || cannot "no PyTorch venv at $VENV (make it once with: bash trainers/pytorch/ci.sh)"
"$VENV/bin/python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' ||
  { echo "gpu-check: FAILED: PyTorch in $VENV does not see CUDA" >&2; exit 1; }
TEMPORAL="$(pwd)/.tools/bin/temporal"
[ -x "$TEMPORAL" ] || cannot "no Temporal CLI at $TEMPORAL (npm test or npm start installs it once)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/retune-gpu-check.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$((20000 + RANDOM % 20000))
export DATABASE_URL="file:$WORK/retune.db" RETUNE_DATA_DIR="$WORK" RETUNE_WORK_DIR="$WORK/work"
export TEMPORAL_ADDRESS="127.0.0.1:$PORT" RETUNE_WORKER_ID=gpu-check
# `python3` in the PyTorch spec is the venv's.
export PATH="$VENV/bin:$PATH"

"$TEMPORAL" server start-dev --headless --ip 127.0.0.1 --port "$PORT" \
  --db-filename "$WORK/temporal.db" --log-level error >"$WORK/temporal.log" 2>&1 &
PIDS+=($!)
npx tsx tools/migrate.ts deploy >/dev/null || { echo "gpu-check: FAILED: migrate" >&2; exit 1; }
for _ in $(seq 60); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 1; done
npx tsx apps/worker/src/main.ts --gpus auto --queues control,gpu >"$WORK/worker.log" 2>&1 &
PIDS+=($!)

spec() { # name, trainer line, dataset, base
  cat >"$WORK/$1.yaml" <<YAML
name: gpu-check $1
dataset: $3
baseModel: $4
$2
metric: { name: val_acc, goal: maximize }
algorithm: grid
maxParallel: 1
fixed: { epochs: 2 }
searchSpace:
  headLr: { type: choice, values: [0.01, 0.003] }
YAML
}

report() { # prints backend/device per trial and the GPU busy share of the latest sweep
  node -e '
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1].replace(/^file:/, ""), { readonly: true });
    const sweep = db.prepare("SELECT id, name, status FROM Sweep ORDER BY createdAt DESC LIMIT 1").get();
    const trials = db.prepare("SELECT id, number, status, device FROM Trial WHERE sweepId = ?").all(sweep.id);
    console.log(`${sweep.name}: ${sweep.status}`);
    for (const t of trials) {
      const d = t.device ? JSON.parse(t.device) : null;
      const u = db.prepare("SELECT AVG(value) a, COUNT(*) n FROM MetricPoint WHERE trialId = ? AND name = ?").get(t.id, "gpu_util");
      console.log(`  trial #${t.number} ${t.status}: ${d ? `${d.backend} on ${d.device} (${d.framework} ${d.frameworkVersion}${d.cuda ? `, CUDA ${d.cuda}` : ""}${d.cudnn ? `, cuDNN ${d.cudnn}` : ""})` : "no device facts"}; gpu_util mean ${u.n ? u.a.toFixed(1) + " % over " + u.n + " samples" : "n/a"}`);
    }
    const all = db.prepare("SELECT AVG(m.value) a FROM MetricPoint m JOIN Trial t ON t.id = m.trialId WHERE t.sweepId = ? AND m.name = ?").get(sweep.id, "gpu_util");
    console.log(`  GPU busy share: ${all.a == null ? "no samples" : all.a.toFixed(1) + " %"}`);
    process.exit(trials.length > 0 && trials.every((t) => t.status === "completed") ? 0 : 1);
  ' "$DATABASE_URL"
}

status=0
spec pytorch 'trainer: { command: [python3, trainers/pytorch/train.py] }' demo:synthetic-digits none
echo "gpu-check: PyTorch sweep"
npm run -s retune -- sweep launch "$WORK/pytorch.yaml" >"$WORK/pytorch.out" 2>&1 || status=1
report || status=1

if [ -f node_modules/@tensorflow/tfjs-node-gpu/deps/.tfjs-native-gpu.json ]; then
  spec tfjs '' demo:mnist-5-9 demo:mnist-0-4-cnn
  echo "gpu-check: tfjs sweep (GPU build)"
  npm run -s retune -- sweep launch "$WORK/tfjs.yaml" >"$WORK/tfjs.out" 2>&1 || status=1
  report || status=1
else
  echo "gpu-check: tfjs sweep SKIPPED: the GPU build is not installed (npm run setup:gpu)"
fi
[ $status -eq 0 ] || { echo "gpu-check: FAILED; worker log:" >&2; tail -30 "$WORK/worker.log" >&2; }
exit $status
