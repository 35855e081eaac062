"""Helpers for the `make bench` figures (bench/run.py and each app's `bench.run(ctx)`)."""
from __future__ import annotations

import statistics
import time


def figure(name: str, value: float, unit: str, target: float | None, *, lower_is_better: bool = True) -> dict:
    """One row of bench/latest.json: {"name", "value", "unit", "target", "ok"}."""
    ok = None if target is None else (value <= target if lower_is_better else value >= target)
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "ok": ok}


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def interleaved(fa, fb, repeat: int = 7) -> tuple[float, float]:
    """Median wall times of `fa` and `fb`, run alternately (a, b, a, b, …) so that a noisy machine
    slows both alike and their ratio stays meaningful. Each runs once first to warm caches."""
    fa()
    fb()
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((fa, ta), (fb, tb)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c
