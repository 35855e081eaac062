#!/usr/bin/env bash
# `make test`: the whole suite on SQLite and on a throwaway PostgreSQL cluster (scripts/pg.sh), browser
# tests included. Installs PostgreSQL, Chromium, CJK fonts and LibreOffice when missing and running as root
# on Debian.
# Fails when any test fails or none ran.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
source scripts/pg.sh

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# LibreOffice renders sample documents to PDF to count their pages (about 40 s to install)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null || { echo "apt-get install failed" >&2; exit 1; }
  else
    echo "missing: ${need[*]} (run as root on Debian, or install them)" >&2; exit 1
  fi
fi
pg_install || exit 1

status=0
scripts/lint.sh || status=1

run_suite() {  # $1 = label; the rest = pytest args
  local label=$1; shift
  echo "=== $label ==="
  "$BIN/pytest" "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then echo "$label: no tests ran" >&2; rc=1; fi
  [ $rc -eq 0 ] || status=1
}

# The whole suite (no arguments): the tests that drive no browser in parallel (pytest-xdist, one worker
# per core; ZHIBU_TEST_WORKERS=1 for one process), then the browser tests in one process. Each worker
# has its own test database; tests are spread one by one (the long bad-input walks over both workers),
# those marked xdist_group(name) stay together. With arguments: one plain invocation.
WORKERS=${ZHIBU_TEST_WORKERS:-$(nproc 2>/dev/null || echo 1)}
suite() {  # $1 = label; the rest = the arguments given to this script
  local label=$1; shift
  if [ $# -eq 0 ] && [ "$WORKERS" -gt 1 ]; then
    run_suite "$label ($WORKERS workers)" -q -rs -m "not browser" -n "$WORKERS" --dist loadgroup
    run_suite "$label, browser tests" -q -rs -m browser
  else
    run_suite "$label" -q -rs "$@"
  fi
}

# 1. SQLite (the embedded database `make run` uses)
ZHIBU_DATA_DIR=$(mktemp -d) suite "SQLite" "$@"

# 2. PostgreSQL: a throwaway cluster in a temp dir, on a loopback port, fsync off.
if pg_start; then
  ZHIBU_DATA_DIR=$(mktemp -d) ZHIBU_DATABASE_URL="$ZHIBU_PG_URL" suite "PostgreSQL" "$@"
else
  status=1
fi
exit $status
