#!/usr/bin/env bash
# Installs (if missing) and starts Debian's PostgreSQL, sets a password for the postgres role,
# and prints a connection URL as the last line. Idempotent.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing postgresql from Debian…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 60); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432"; then break; fi
  sleep 0.5
done
su postgres -c "psql -q -h 127.0.0.1 -c \"ALTER USER postgres PASSWORD 'postgres'\"" >&2 2>/dev/null ||
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >&2
echo "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
