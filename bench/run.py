"""`make bench`: figures on a throwaway SQLite database, printed as a table and written to
bench/latest.json as a list of {"name", "value", "unit", "target", "ok"}. Names are stable.
`bench/run.py --db postgres` (from `make bench DB=postgres`, scripts/bench.sh) uses ZHIBU_DATABASE_URL,
a fresh database of the throwaway cluster, and writes bench/latest-postgres.json.
The load figures (load_*) come from bench/load.py: `make run`'s server under 20 concurrent clients.

Apps add figures through `zhibu.<app>.bench.run(ctx) -> list[dict]`, called after the large demo
district is built (ctx: the DemoContext); they use the helpers of zhibu.core.benchmarks."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from zhibu.core.benchmarks import client_for, count_queries, figure

ROOT = Path(__file__).resolve().parent.parent


def branch_home_queries(ctx) -> int:
    from django.urls import reverse

    c = client_for(ctx.accounts["secretary"])
    url = reverse("orgs:home", kwargs={"org_id": ctx.branches[0].pk})
    c.get(url)  # warm
    return count_queries(lambda: c.get(url))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--no-load", action="store_true", help="skip the load figures")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="zhibu-bench-")
    os.environ["ZHIBU_DATA_DIR"] = tmp
    cluster = None
    if args.db == "sqlite":
        os.environ.pop("ZHIBU_DATABASE_URL", None)
    else:
        cluster = os.environ.get("ZHIBU_DATABASE_URL", "")
        if not cluster.startswith(("postgres://", "postgresql://")):
            print("--db postgres needs ZHIBU_DATABASE_URL (make bench DB=postgres starts a cluster)", file=sys.stderr)
            return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    from zhibu.orgs.management.commands.demo import build, reset_all

    call_command("migrate", verbosity=0)
    figures: list[dict] = []

    small = build(branches=10, members=30, year=2026, seed=1, progress=open(os.devnull, "w"))
    q10 = branch_home_queries(small)
    reset_all()

    t0 = time.perf_counter()
    big = build(branches=1000, members=30, year=2026, seed=1, progress=sys.stderr)
    figures.append(figure("demo_1000x30_seconds", time.perf_counter() - t0, "s", 60))
    q1000 = branch_home_queries(big)
    figures.append(figure("branch_home_queries_10_branches", q10, "queries", None))
    figures.append(figure("branch_home_queries_1000_branches", q1000, "queries", q10))

    from zhibu.core.hooks import app_label, app_modules

    for module in app_modules("bench"):
        print(f"bench: {app_label(module)} …", file=sys.stderr, flush=True)
        figures.extend(module.run(big))

    if not args.no_load:
        sys.path.insert(0, str(ROOT / "bench"))
        import load

        print(f"bench: load ({load.CLIENTS} clients, {load.SECONDS} s) …", file=sys.stderr, flush=True)
        figures.extend(load.run(cluster))

    print(f"--- {args.db} ---")
    width = max(len(f["name"]) for f in figures)
    print(f"{'name':<{width}}  {'value':>12}  {'unit':<8} {'target':>10}  ok")
    for f in figures:
        target = "" if f["target"] is None else f["target"]
        ok = "" if f["ok"] is None else ("yes" if f["ok"] else "NO")
        print(f"{f['name']:<{width}}  {f['value']:>12}  {f['unit']:<8} {target:>10}  {ok}")
    out = ROOT / "bench" / ("latest.json" if args.db == "sqlite" else "latest-postgres.json")
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    print(f"written: {out}")
    return 0 if all(f["ok"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
