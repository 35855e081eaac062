#!/usr/bin/env bash
# `make bench [DB=postgres]`: the figures on a throwaway SQLite database (bench/latest.json), and with
# DB=postgres also on the throwaway PostgreSQL cluster of the tests (bench/latest-postgres.json).
# Fails when a figure misses its target.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
status=0
echo "=== bench: SQLite ==="
env -u ZHIBU_DATABASE_URL "$BIN/python" bench/run.py --db sqlite || status=1
case "${1:-sqlite}" in
  sqlite) ;;
  postgres|postgresql)
    source scripts/pg.sh
    echo "=== bench: PostgreSQL ==="
    if pg_start; then
      ZHIBU_DATABASE_URL="$ZHIBU_PG_URL" "$BIN/python" bench/run.py --db postgres || status=1
    else
      status=1
    fi ;;
  *) echo "DB=${1}: sqlite or postgres" >&2; exit 2 ;;
esac
exit $status
