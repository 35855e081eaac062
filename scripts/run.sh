#!/usr/bin/env bash
# `make run` after the install: keys, database, cache table, demo data (once), reminders (once at
# start), then the production WSGI server — gunicorn with ZHIBU_WORKERS processes (default 2) on
# HOST:PORT (default 127.0.0.1:8000), static files through whitenoise. Also started by the load
# figure of `make bench` and by the two-worker test.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${ZHIBU_WORKERS:-2}

if "$BIN/zhibu" help init-keys >/dev/null 2>&1; then "$BIN/zhibu" init-keys; fi
"$BIN/zhibu" migrate --noinput -v0
"$BIN/zhibu" createcachetable
"$BIN/zhibu" demo --if-empty --branches 12 --members 25
"$BIN/zhibu" remind
echo "Serving on http://$HOST:$PORT/  with $WORKERS gunicorn workers (Ctrl-C to stop)"
# The access log names the worker process (pid=) that served each request.
exec "$BIN/gunicorn" zhibu.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" --timeout 120 \
  --access-logfile - --error-logfile - \
  --access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s'
