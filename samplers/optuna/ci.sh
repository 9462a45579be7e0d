#!/usr/bin/env bash
# The sampler worker's tests (pytest on the suggest activity). The venv is set up first
# (setup.sh); skips, printing why, when RETUNE_SKIP_SAMPLER=1 or when it cannot be set up.
set -uo pipefail
cd "$(dirname "$0")"
[ "${RETUNE_SKIP_SAMPLER:-}" = 1 ] && { echo "sampler worker tests: SKIPPED: RETUNE_SKIP_SAMPLER=1"; exit 0; }
PY="$(bash setup.sh | tail -n 1)" || { echo "sampler worker tests: SKIPPED: no venv (see above)"; exit 0; }
"$PY" -c 'import pytest' 2>/dev/null || "$PY" -m pip install -q --disable-pip-version-check pytest==9.2.0
exec "$PY" -m pytest -q -rs -p no:cacheprovider test_suggest.py
