"""`make run`'s server for real: scripts/run.sh (keys, migrate, cache table, demo, reminders, gunicorn with
two workers) in a subprocess with its own data folder, on a free loopback port. Five failed logins spread
over both worker processes lock the account: the throttle lives in the database, not in a process.

On the PostgreSQL pass of scripts/test.sh the server gets a database of its own in the same cluster."""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent  # the console scripts next to the interpreter running the tests
PASSWORD = "zhibu2026"  # zhibu.orgs.demo.DEMO_PASSWORD
LOCKED = "登录失败次数过多"
WRONG = "用户名或密码不正确"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _own_postgres_database():
    """(url for the server, drop function) on the PostgreSQL pass; (None, no-op) on SQLite."""
    url = os.environ.get("ZHIBU_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None, lambda: None
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"zhibu_served_{os.getpid()}"
    params = {k: v for k, v in {"host": cfg["HOST"], "port": cfg["PORT"], "user": cfg["USER"],
                                "password": cfg["PASSWORD"]}.items() if v}

    def sql(statement: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(statement)

    sql(f'DROP DATABASE IF EXISTS "{name}"')
    sql(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), lambda: sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    port = free_port()
    env = {**os.environ, "ZHIBU_DATA_DIR": str(data), "HOST": "127.0.0.1", "PORT": str(port),
           "ZHIBU_WORKERS": "2", "BIN": str(BIN), "PYTHONUNBUFFERED": "1"}
    env.pop("ZHIBU_DATABASE_URL", None)
    db_url, drop = _own_postgres_database()
    if db_url:
        env["ZHIBU_DATABASE_URL"] = db_url
    log_path = data / "server.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(["bash", str(REPO / "scripts" / "run.sh")], env=env, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                pytest.fail(f"scripts/run.sh ended ({proc.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 300 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, log_path
    finally:
        proc.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
        drop()


class Browser:
    """A cookie-keeping urllib client: every request on a new connection (the workers share the
    listening socket, so each connection goes to whichever worker is free)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as r:
            return r.read().decode()

    def csrf(self) -> tuple[str, str]:
        html = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        cookie = next(c.value for c in self.jar if c.name == "csrftoken")
        return token, cookie

    def login(self, username: str, password: str) -> str:
        token, _ = self.csrf()
        body = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(self.base + "/login/", data=body, timeout=60) as r:
                return r.read().decode()
        except urllib.error.HTTPError as e:
            return e.read().decode()


def held_login(browser: Browser, username: str, password: str) -> tuple[socket.socket, bytes]:
    """A login POST sent but for its last bytes: the worker that accepted the connection waits for
    them (a sync worker serves one request at a time), so the other worker takes every request
    meanwhile. Returns the socket and the bytes still to send."""
    token, cookie = browser.csrf()
    host, port = urllib.parse.urlsplit(browser.base).netloc.split(":")
    body = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    head = (f"POST /login/ HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: csrftoken={cookie}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n").encode()
    sock = socket.create_connection((host, int(port)), timeout=60)
    sock.sendall(head)
    time.sleep(0.5)  # accepted by one worker, which now reads the rest of the request
    return sock, b"\r\n" + body


def finish(sock: socket.socket, rest: bytes) -> str:
    sock.sendall(rest)
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    sock.close()
    return b"".join(chunks).decode(errors="replace")


def login_pids(log_path: Path) -> list[str]:
    return re.findall(r'"POST /login/ HTTP/1\.1" \d+ \S+ \S+ pid=<?(\d+)', log_path.read_text())


@pytest.mark.xdist_group("served")  # one server for the module under pytest-xdist
def test_five_failed_logins_over_two_workers_lock_the_account(served):
    base, log_path = served
    b = Browser(base)
    assert "支部" in b.get("/login/")

    sock, rest = held_login(b, "member", "wrong-1")  # failure 1, on worker A (held)
    assert WRONG in b.login("member", "wrong-2")  # failure 2, on worker B
    assert WRONG in b.login("member", "wrong-3")  # failure 3, on worker B
    assert WRONG in finish(sock, rest)  # worker A answers failure 1 now
    assert WRONG in b.login("member", "wrong-4")
    assert WRONG in b.login("member", "wrong-5")
    time.sleep(1)  # the access log is written after each response
    pids = login_pids(log_path)
    assert len(pids) == 5 and len(set(pids)) == 2, f"failed logins served by workers {pids}"

    # The right password no longer opens the account, on either worker.
    for _ in range(3):
        page = b.login("member", PASSWORD)
        assert LOCKED in page and WRONG not in page
    time.sleep(1)
    assert len(set(login_pids(log_path))) == 2

    # Another account is not affected.
    assert LOCKED not in Browser(base).login("secretary", PASSWORD)


@pytest.mark.xdist_group("served")  # one server for the module under pytest-xdist
def test_static_files_come_from_whitenoise(served):
    base, log_path = served
    html = Browser(base).get("/login/")
    css = re.search(r'href="(/static/[^"]+\.css)"', html)
    assert css, "the login page links a stylesheet"
    with urllib.request.urlopen(base + css.group(1), timeout=30) as r:
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/css")
    assert "Booting worker" in log_path.read_text()  # gunicorn, not runserver


def test_demo_member_account_holds_no_committee_post(db):
    """The README's table: `member` is a plain 党员 of the first branch (not a 委员)."""
    import io

    from zhibu.orgs.management.commands.demo import build
    from zhibu.orgs.models import CommitteePosition, Person, Position, Role, RoleKind

    ctx = build(branches=2, members=12, year=2026, seed=1, progress=io.StringIO(), only_orgs=True)
    member = ctx.accounts["member"]
    person = Person.objects.get(user=member)
    assert person.branch_id == ctx.branches[0].pk
    assert not CommitteePosition.objects.filter(person=person).exists()
    assert list(Role.objects.filter(user=member).values_list("role", flat=True)) == [RoleKind.MEMBER]
    committee = Person.objects.get(user=ctx.accounts["committee"])
    assert CommitteePosition.objects.filter(person=committee, position=Position.ORGANISATION).exists()


def test_make_run_installs_the_runtime_only_and_make_test_the_test_extras():
    def dry(target: str) -> str:
        return subprocess.run(["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True, timeout=60,
                              check=True).stdout

    run, test = dry("run"), dry("test")
    assert "pip install --quiet -e '.'" in run and "[test]" not in run
    assert "scripts/run.sh" in run and "runserver" not in run
    assert "pip install --quiet -e '.[test]'" in test and "scripts/test.sh" in test
    script = (REPO / "scripts" / "run.sh").read_text()
    assert "gunicorn" in script and "runserver" not in script
    for step in ("migrate", "createcachetable", "demo --if-empty", "remind", "init-keys"):
        assert step in script, step
