"""`make bench` figures for 党费: the month close of the whole demo district (every member's due and
arrears for one month) and how it scales (the same at one tenth of the branches)."""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import time

from zhibu.core import clock
from zhibu.dues import selectors


def _helpers():
    main = sys.modules.get("__main__")
    if main is not None and hasattr(main, "figure") and hasattr(main, "timed") and hasattr(main, "count_queries"):
        return main.figure, main.timed, main.count_queries
    try:
        from bench.run import count_queries, figure, timed
        return figure, timed, count_queries
    except ImportError:  # pragma: no cover - only when run outside the repository
        def figure(name, value, unit, target, *, lower_is_better=True):
            ok = None if target is None else (value <= target if lower_is_better else value >= target)
            return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "ok": ok}

        def timed(fn, repeat=5):
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t0)
            return statistics.median(times)

        def count_queries(fn):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as c:
                fn()
            return len(c.captured_queries)

        return figure, timed, count_queries


def run(ctx) -> list[dict]:
    figure, timed, count_queries = _helpers()
    today = clock.today()
    last = 12 if ctx.year < today.year else max(1, today.month)
    month = dt.date(ctx.year, last, 1)
    district = ctx.district
    tenth_ids = [b.pk for b in ctx.branches[: max(1, len(ctx.branches) // 10)]]

    close = selectors.month_close(district, month)  # warm
    members = len(close.rows)
    queries = count_queries(lambda: selectors.month_close(district, month))
    t_all = timed(lambda: selectors.month_close(district, month), repeat=3)
    t_tenth = timed(lambda: selectors.month_close(district, month, branch_ids=tenth_ids), repeat=5)
    ratio = t_all / t_tenth if t_tenth else 0.0
    return [
        figure("dues_month_close_members", members, "members", None),
        figure("dues_month_close_seconds", t_all, "s", 2.0),
        figure("dues_month_close_queries", queries, "queries", 4),
        figure("dues_month_close_tenth_seconds", t_tenth, "s", None),
        # Linear: 10× the members takes about 10× the time (a little less: fixed costs). Above 13 would
        # mean something grows faster than the members.
        figure("dues_month_close_ratio_all_vs_tenth", ratio, "ratio", 13.0),
    ]
