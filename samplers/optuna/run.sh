#!/usr/bin/env bash
# Starts the sampler worker (Optuna's GP and CMA-ES on the retune-sampler task queue), setting
# up its venv first when needed. The Node worker runs this when it polls the control queue.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PY="$(bash "$here/setup.sh" | tail -n 1)" || exit 1
[ -x "$PY" ] || exit 1
# One torch thread per GP fit unless told otherwise: the sampler shares the control worker's
# machine, and Optuna advises it for GPSampler on busy CPUs.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
cd "$here" && exec "$PY" -m retune_sampler.worker "$@"
