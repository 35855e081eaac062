#!/usr/bin/env bash
# `make test`: the whole suite on SQLite and on a throwaway PostgreSQL cluster, browser tests
# included. Installs PostgreSQL, Chromium and CJK fonts when missing and running as root on Debian.
# Fails when any test fails or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || { echo "apt-get install failed" >&2; exit 1; }
  else
    echo "missing: ${need[*]} (run as root on Debian, or install them)" >&2; exit 1
  fi
fi

status=0
run_suite() {  # $1 = label; the rest = pytest args
  local label=$1; shift
  echo "=== $label ==="
  "$BIN/pytest" "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then echo "$label: no tests ran" >&2; rc=1; fi
  [ $rc -eq 0 ] || status=1
}

# 1. SQLite (the embedded database `make run` uses)
ZHIBU_DATA_DIR=$(mktemp -d) run_suite "SQLite" -q "$@"

# 2. PostgreSQL: a throwaway cluster in a temp dir, on a loopback port, fsync off.
INITDB=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)
PGBIN=$(dirname "$INITDB")
PGTMP=$(mktemp -d /tmp/zhibu-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
chown postgres:postgres "$PGTMP" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pg() { as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGTMP"; }
trap stop_pg EXIT
if as_pg "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
   && as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/pg.log" -w -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
  ZHIBU_DATA_DIR=$(mktemp -d) ZHIBU_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/zhibu" \
    run_suite "PostgreSQL" -q "$@"
else
  echo "could not start PostgreSQL:" >&2; cat "$PGTMP"/*.log >&2; status=1
fi
exit $status
