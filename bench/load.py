"""The load figure of `make bench`: the demo district served by `make run`'s server (scripts/run.sh:
gunicorn, ZHIBU_WORKERS=2, its own data folder and database) to CLIENTS concurrent clients, each walking
the branch home, a meeting page and the district grid for SECONDS seconds. Loopback only; the loop is
bounded in time and in requests and stops by itself.

Figures: load_rps (requests answered per second), load_p95_ms (95th percentile latency), load_errors
(anything but a 200, or no answer: must be 0) and load_requests.

Also runnable alone: `.venv/bin/python bench/load.py` (SQLite; or PostgreSQL when ZHIBU_DATABASE_URL is set)."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENTS = 20
SECONDS = 30
MAX_REQUESTS = 200_000  # a bound on top of the time limit
PASSWORD = "zhibu2026"  # the demo accounts' password (zhibu.orgs.demo.DEMO_PASSWORD)

# Printed by `zhibu shell -c` inside the served instance: the three pages every client walks.
PATHS_SCRIPT = """
import json
from django.urls import reverse
from zhibu.core import clock
from zhibu.orglife.models import Meeting
from zhibu.orgs.models import Organisation
branch = Organisation.objects.filter(kind="branch").order_by("pk").first()
district = Organisation.objects.filter(parent__isnull=True).order_by("pk").first()
meeting = Meeting.objects.filter(branch=branch).order_by("-date", "pk").first()
year = clock.today().year
print(json.dumps([
    reverse("orgs:home", kwargs={"org_id": branch.pk}),
    reverse("orglife:meeting", kwargs={"org_id": branch.pk, "meeting_id": meeting.pk}),
    reverse("orglife:district", kwargs={"org_id": district.pk}) + f"?year={year}&period=year",
]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def own_postgres_database(url: str, name: str):
    """A fresh database `name` in the cluster of `url`; returns (its url, drop function)."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {k: v for k, v in {"host": cfg["HOST"], "port": cfg["PORT"], "user": cfg["USER"],
                                "password": cfg["PASSWORD"]}.items() if v}

    def sql(statement: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(statement)

    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    return (urllib.parse.urlunsplit(parts._replace(path="/" + name)),
            lambda: sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def served(database_url: str | None, workers: int = 2):
    """scripts/run.sh in a temp data folder; yields (base url, env). Stopped (SIGTERM to gunicorn's
    master, which stops its workers) and cleaned up on exit."""
    data = Path(tempfile.mkdtemp(prefix="zhibu-load-"))
    port = free_port()
    env = {**os.environ, "ZHIBU_DATA_DIR": str(data), "HOST": "127.0.0.1", "PORT": str(port),
           "ZHIBU_WORKERS": str(workers), "BIN": str(BIN)}
    env.pop("ZHIBU_DATABASE_URL", None)
    drop = lambda: None  # noqa: E731
    if database_url:
        env["ZHIBU_DATABASE_URL"], drop = own_postgres_database(database_url, f"zhibu_load_{os.getpid()}")
    log = open(data / "server.log", "w")
    proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "run.sh")], env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"scripts/run.sh ended ({proc.returncode}): {(data / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not answer within 600 s") from None
                time.sleep(0.5)
        yield base, env
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
        drop()
        subprocess.run(["rm", "-rf", str(data)], check=False)


def login(base: str, username: str) -> str:
    """The session cookie of `username` (one sign-in; the clients share it like tabs of one browser)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(base + "/login/", data=body.encode(), timeout=60).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"could not sign in as {username}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def walk(base: str, paths: list[str], cookie: str, *, clients: int = CLIENTS, seconds: float = SECONDS) -> dict:
    """`clients` threads, each requesting paths[0], paths[1], … in turn until `seconds` have passed."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = time.monotonic()
    stop_at = start + seconds

    def client(i: int) -> None:
        n = i  # clients start at different pages
        while time.monotonic() < stop_at:
            with lock:
                if len(latencies) + len(errors) >= MAX_REQUESTS:
                    return
            path = paths[n % len(paths)]
            n += 1
            req = urllib.request.Request(base + path, headers={"Cookie": cookie})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    r.read()
                    ok = r.status == 200 and r.url.endswith(path)  # no redirect to the login page
                    err = None if ok else f"{r.status} {path} → {r.url}"
            except (urllib.error.URLError, OSError) as exc:
                err = f"{path}: {exc}"
            dt = time.perf_counter() - t0
            with lock:
                (latencies.append(dt) if err is None else errors.append(err))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    elapsed = time.monotonic() - start
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else (max(latencies) if latencies else 0.0)
    return {"requests": len(latencies) + len(errors), "rps": len(latencies) / elapsed, "p95_ms": p95 * 1000,
            "errors": len(errors), "error_samples": errors[:5], "elapsed": elapsed}


def run(database_url: str | None = None, *, clients: int = CLIENTS, seconds: float = SECONDS) -> list[dict]:
    from zhibu.core.benchmarks import figure

    with served(database_url) as (base, env):
        out = subprocess.run([str(BIN / "zhibu"), "shell", "-c", PATHS_SCRIPT], env=env, capture_output=True,
                             text=True, timeout=300, check=True)
        paths = json.loads(out.stdout.strip().splitlines()[-1])
        cookie = login(base, "district")
        walk(base, paths, cookie, clients=2, seconds=2)  # warm both workers
        result = walk(base, paths, cookie, clients=clients, seconds=seconds)
    for sample in result["error_samples"]:
        print(f"load error: {sample}", file=sys.stderr)
    return [
        figure("load_rps", result["rps"], "req/s", None),
        figure("load_p95_ms", result["p95_ms"], "ms", None),
        figure("load_errors", result["errors"], "requests", 0),
        figure("load_requests", result["requests"], "requests", None),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for f in run(os.environ.get("ZHIBU_DATABASE_URL")):
        print(f)
