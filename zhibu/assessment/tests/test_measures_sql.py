"""Done when: the derived rubric items equal independent hand-written SQL (cursor.execute) on a
generated demo district. Each SQL below is written from the formula shown to users, not from the
measure's code; both run at the same frozen date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from zhibu.assessment import rules, selectors, services
from zhibu.assessment.hooks import measures
from zhibu.assessment.tests.helpers import TODAY, YEAR, demo_district
from zhibu.core import clock
from zhibu.orglife import rules as orglife_rules

pytestmark = pytest.mark.django_db


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def _ids_sql(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def sql_dues(ids: list[int]) -> dict[int, float]:
    """按时交纳笔数 ÷ 交纳笔数: payments for months of the year up to this month, not reversed."""
    rows = _rows(
        f"""SELECT e.branch_id, e.month, e.paid_on FROM dues_ledgerentry e
            WHERE e.branch_id IN ({_ids_sql(ids)}) AND e.kind = 'payment' AND e.month >= %s AND e.month <= %s
              AND NOT EXISTS (SELECT 1 FROM dues_ledgerentry r WHERE r.reverses_id = e.id)""",
        [dt.date(YEAR, 1, 1), TODAY.replace(day=1)],
    )
    total: dict[int, int] = {}
    on_time: dict[int, int] = {}
    for branch_id, month, paid_on in rows:
        month, paid_on = _date(month), _date(paid_on)
        total[branch_id] = total.get(branch_id, 0) + 1
        on_time[branch_id] = on_time.get(branch_id, 0) + ((paid_on.year, paid_on.month) <= (month.year, month.month))
    return {b: on_time[b] / total[b] for b in total}


def sql_rectify(ids: list[int]) -> dict[int, float]:
    rows = _rows(
        f"""SELECT branch_id, COUNT(*), SUM(CASE WHEN status IN ('closed', 'confirmed') THEN 1 ELSE 0 END)
            FROM rectify_item WHERE branch_id IN ({_ids_sql(ids)}) AND raised_on >= %s AND raised_on <= %s
            GROUP BY branch_id""",
        [dt.date(YEAR, 1, 1), TODAY],
    )
    out = dict.fromkeys(ids, 1.0)
    out.update({b: closed / total for b, total, closed in rows})
    return out


def sql_plans(ids: list[int]) -> dict[int, float]:
    rows = _rows(
        f"""SELECT p.branch_id, COUNT(*), SUM(CASE WHEN i.status = 'done' THEN 1 ELSE 0 END)
            FROM plans_planitem i JOIN plans_plan p ON p.id = i.plan_id
            WHERE p.branch_id IN ({_ids_sql(ids)}) AND p.year = %s AND p.kind = 'annual' AND i.status <> 'cancelled'
            GROUP BY p.branch_id""",
        [YEAR],
    )
    return {b: done / total for b, total, done in rows if total}


def sql_olm(ids: list[int]) -> dict[int, float]:
    held = {
        b
        for (b,) in _rows(
            f"""SELECT DISTINCT branch_id FROM orglife_meeting WHERE branch_id IN ({_ids_sql(ids)})
                AND kind = 'org_life_meeting' AND date >= %s AND date <= %s""",
            [dt.date(YEAR, 1, 1), TODAY],
        )
    }
    return {b: 1.0 if b in held else 0.0 for b in ids}


def sql_obligations(ids: list[int]) -> dict[int, float]:
    """Per branch and meeting obligation (default frequencies: the demo sets none), each period of the
    year that has ended by today or holds a meeting: met when a meeting of that kind (or a 组织生活会
    held with 民主评议) is dated in it."""
    assert not _rows(f"SELECT 1 FROM orglife_branchobligationconfig WHERE branch_id IN ({_ids_sql(ids)})", [])
    held = _rows(
        f"""SELECT DISTINCT branch_id, kind, CAST(strftime('%%m', date) AS INTEGER) FROM orglife_meeting
            WHERE branch_id IN ({_ids_sql(ids)}) AND date >= %s AND date <= %s
            UNION SELECT DISTINCT branch_id, 'member_evaluation', CAST(strftime('%%m', date) AS INTEGER)
            FROM orglife_meeting WHERE branch_id IN ({_ids_sql(ids)}) AND date >= %s AND date <= %s AND with_evaluation"""
        if connection.vendor == "sqlite"
        else f"""SELECT DISTINCT branch_id, kind, EXTRACT(MONTH FROM date)::int FROM orglife_meeting
            WHERE branch_id IN ({_ids_sql(ids)}) AND date >= %s AND date <= %s
            UNION SELECT DISTINCT branch_id, 'member_evaluation', EXTRACT(MONTH FROM date)::int
            FROM orglife_meeting WHERE branch_id IN ({_ids_sql(ids)}) AND date >= %s AND date <= %s AND with_evaluation""",
        [dt.date(YEAR, 1, 1), TODAY] * 2,
    )
    months = {(b, k, m) for b, k, m in held}
    out = {}
    for b in ids:
        met = due = 0
        for ob in orglife_rules.DEFAULT_OBLIGATIONS:
            if ob.per_pair:
                continue
            length = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}[ob.frequency]
            for first in range(1, 13, length):
                last = first + length - 1
                ended = (dt.date(YEAR + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1)) < TODAY
                hit = any((b, ob.kind, m) in months for m in range(first, last + 1))
                if hit:
                    met += 1
                elif ended:
                    due += 1
        out[b] = met / (met + due) if met + due else 1.0
    return out


def _date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


SQL = {
    "dues_on_time": sql_dues,
    "rectify_closed": sql_rectify,
    "plan_done": sql_plans,
    "olm_held": sql_olm,
    "orglife_obligations": sql_obligations,
}


def test_every_derived_measure_equals_hand_written_sql_on_the_demo_district():
    with clock.frozen(TODAY):
        ctx = demo_district()
        ids = [b.pk for b in ctx.branches]
        found = measures()
        for key, sql in SQL.items():
            got = found[key].compute(ids, YEAR)
            expected = sql(ids)
            for b in ids:
                assert got.get(b, 0.0) == pytest.approx(expected.get(b, 0.0)), (key, b)
        # the figures vary between branches (the test would prove little on all zeros)
        assert len({round(v, 3) for v in found["orglife_obligations"].compute(ids, YEAR).values()}) > 1
        assert set(found["olm_held"].compute(ids, YEAR).values()) <= {0.0, 1.0}
        assert found["plan_done"].compute(ids, YEAR)[ids[1]] > 0 and found["rectify_closed"].compute(ids, YEAR)[ids[1]] < 1


def test_rubric_scores_are_the_sql_figures_times_the_points():
    with clock.frozen(TODAY):
        ctx = demo_district()
        services.create_rubric(actor=None, district=ctx.district, year=YEAR)
        result = selectors.assess(ctx.district, YEAR)
        ids = [b.pk for b in ctx.branches]
        expected = {key: sql(ids) for key, sql in SQL.items()}
        assert len(result.rows) == len(ids)
        for row in result.rows:
            total = Decimal("0")
            for s in row.items:
                if s.item.measure in expected:
                    want = rules.points_for(s.item.points, expected[s.item.measure].get(row.id, 0.0))
                    assert s.points == want, (s.item.label, row.name)
                elif s.item.measure and s.item.measure not in measures():
                    assert s.points == 0 and not s.available and "数据来源未启用" in s.note
                total += s.points
            assert row.score == total
            assert row.tier == rules.tier(total, result.total, 90, 60)
