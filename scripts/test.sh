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

# 1. SQLite (the embedded database `make run` uses)
ZHIBU_DATA_DIR=$(mktemp -d) run_suite "SQLite" -q -rs "$@"

# 2. PostgreSQL: a throwaway cluster in a temp dir, on a loopback port, fsync off.
if pg_start; then
  ZHIBU_DATA_DIR=$(mktemp -d) ZHIBU_DATABASE_URL="$ZHIBU_PG_URL" run_suite "PostgreSQL" -q -rs "$@"
else
  status=1
fi
exit $status
