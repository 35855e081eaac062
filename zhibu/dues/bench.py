"""`make bench` figures for 党费: the month close of the whole demo district (every member's due and
arrears for one month) and how it scales (the same at one tenth of the branches)."""
from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.core.benchmarks import count_queries, figure, timed
from zhibu.dues import selectors


def run(ctx) -> list[dict]:
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
        # 5: people, profiles, the month's payments, the live months as a bit mask (streaks and
        # 待补交), the months paid short (少交) — see selectors.month_close.
        figure("dues_month_close_queries", queries, "queries", 5),
        figure("dues_month_close_tenth_seconds", t_tenth, "s", None),
        # Linear: 10× the members takes about 10× the time (a little less: fixed costs). Above 13 would
        # mean something grows faster than the members.
        figure("dues_month_close_ratio_all_vs_tenth", ratio, "ratio", 13.0),
    ]
