#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for `make test` and `make bench DB=postgres`: in a temp dir, on a free
# loopback port, fsync off, removed on exit. Sourced:
#     source scripts/pg.sh; pg_start || exit 1    # sets ZHIBU_PG_URL (postgres://postgres@127.0.0.1:PORT/zhibu)
# and the EXIT trap stops it. Installs PostgreSQL first when missing and running as root on Debian.

pg_install() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: postgresql"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "missing: postgresql (run as root on Debian, or install it)" >&2; return 1
  fi
}

_pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_stop() {
  [ -n "${PGTMP:-}" ] || return 0
  _pg_as "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$PGTMP"; PGTMP=
}

pg_start() {
  pg_install || return 1
  local initdb
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)
  PGBIN=$(dirname "$initdb")
  PGTMP=$(mktemp -d /tmp/zhibu-pg.XXXXXX)
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  chown postgres:postgres "$PGTMP" 2>/dev/null || true
  trap pg_stop EXIT
  if _pg_as "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
     && _pg_as "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/pg.log" -w -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    _pg_as "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres zhibu || return 1
    ZHIBU_PG_URL="postgres://postgres@127.0.0.1:$PGPORT/zhibu"
    # pg_dump / psql of the same version, for `zhibu backup` and `zhibu restore`
    export PATH="$PGBIN:$PATH"
    return 0
  fi
  echo "could not start PostgreSQL:" >&2; cat "$PGTMP"/*.log >&2
  return 1
}
