#!/usr/bin/env bash
# Installs Debian's Chromium (if missing) for the dashboard's browser test, and prints its path
# as the last line. Idempotent. The test drives it with playwright-core (no bundled browsers).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium from Debian…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
command -v chromium
