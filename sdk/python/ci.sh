#!/usr/bin/env bash
# Runs the Python SDK's tests (sdk/python/tests) in a virtualenv this script creates and reuses:
# pytest, the optional extras pandas, tqdm, matplotlib and PyYAML (a test needing one skips if
# its install fails) and the SDK itself, installed as users install it (pip install ./sdk/python).
# The tests against the real stack need the repo's node_modules and the Temporal CLI, which
# .ci/run installs first.
# Skips, printing why, when RETUNE_SKIP_PYTHON_SDK=1 or without python3.
set -uo pipefail
cd "$(dirname "$0")"
VENV="${RETUNE_SDK_VENV:-$HOME/.cache/retune/venv-sdk}"
PY="$VENV/bin/python"
skip() { echo "python sdk tests: SKIPPED: $*"; exit 0; }

[ "${RETUNE_SKIP_PYTHON_SDK:-}" = 1 ] && skip "RETUNE_SKIP_PYTHON_SDK=1"
command -v python3 >/dev/null || skip "no python3 on PATH"
if ! "$PY" -c 'import pytest' 2>/dev/null; then
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV" && "$PY" -m pip install -q --no-cache-dir pytest ||
    { rm -rf "$VENV"; skip "could not create the venv or install pytest (see above)"; }
fi
# Optional extras: the tests that need them skip when their install fails.
for extra in pandas:pandas tqdm:tqdm matplotlib:matplotlib yaml:PyYAML; do
  "$PY" -c "import ${extra%%:*}" 2>/dev/null || "$PY" -m pip install -q --no-cache-dir "${extra#*:}" ||
    echo "python sdk: pip install ${extra#*:} failed: the tests that need it will skip"
done
# Reinstalled every run: the venv outlives the checkout it was made from.
"$PY" -m pip install -q --no-cache-dir --force-reinstall --no-deps . || {
  echo "python sdk: pip install ./sdk/python FAILED"
  exit 1
}
rm -rf build src/retune.egg-info # setuptools' leftovers in the checkout
# The installed package (not the source tree) carries its API schema.
(cd / && "$PY" -c 'import retune, retune._schema as s; assert s.procedure("sweep.launch")') || {
  echo "python sdk: the installed package lacks api_schema.json"
  exit 1
}
# Typed package: mypy --strict (pyproject.toml) when mypy installs.
if "$PY" -c 'import mypy' 2>/dev/null || "$PY" -m pip install -q --no-cache-dir mypy; then
  "$PY" -m mypy src/retune || { echo "python sdk: mypy found type errors"; exit 1; }
else
  echo "python sdk: pip install mypy failed: type check skipped"
fi
"$PY" -m pytest -q -rs -p no:cacheprovider tests
status=$?
# 5: no tests collected (e.g. all deselected): nothing failed.
[ "$status" -eq 5 ] && exit 0
exit "$status"
