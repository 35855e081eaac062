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
            FROM orglife_meeting WHERE branch_id IN ({_ids_sql(ids)}) AND date >= %s AND date <= %s
            AND with_evaluation"""
        if connection.vendor == "sqlite"
        else f"""SELECT DISTINCT branch_id, kind, EXTRACT(MONTH FROM date)::int FROM orglife_meeting
            WHERE branch_id IN ({_ids_sql(ids)}) AND date >= %s AND date <= %s
            UNION SELECT DISTINCT branch_id, 'member_evaluation', EXTRACT(MONTH FROM date)::int
            FROM orglife_meeting WHERE branch_id IN ({_ids_sql(ids)}) AND date >= %s AND date <= %s
            AND with_evaluation""",
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


def sql_review(ids: list[int]) -> dict[int, float]:
    done = {
        b
        for (b,) in _rows(
            f"SELECT branch_id FROM review_review WHERE branch_id IN ({_ids_sql(ids)}) AND year = %s "
            "AND finalised_at IS NOT NULL",
            [YEAR],
        )
    }
    return {b: 1.0 if b in done else 0.0 for b in ids}


def sql_election(ids: list[int]) -> dict[int, float]:
    """On the assessment date every committee member in office is within their term, or the term was
    postponed with approval to a date not yet passed."""
    ends = dict(
        _rows(
            f"""SELECT branch_id, MIN(term_end) FROM orgs_committeeposition WHERE branch_id IN ({_ids_sql(ids)})
                AND term_start <= %s AND (ended_on IS NULL OR ended_on > %s) GROUP BY branch_id""",
            [TODAY, TODAY],
        )
    )
    postponed = dict(
        _rows(
            f"""SELECT branch_id, MAX(to_end) FROM elections_reschedule WHERE branch_id IN ({_ids_sql(ids)})
                AND approved_on <= %s GROUP BY branch_id""",
            [TODAY],
        )
    )
    out = {}
    for b in ids:
        end, later = ends.get(b), postponed.get(b)
        out[b] = 1.0 if end is not None and (_date(end) >= TODAY or (later and _date(later) >= TODAY)) else 0.0
    return out


def sql_study(ids: list[int]) -> dict[int, float]:
    """Members (not exempt) whose 学时 — sessions attended, approved trainings, 党课 and 主题党日 attended
    (per hour, to the half hour) — reach 32, or 56 for a current committee member."""
    members = _rows(
        f"""SELECT id, branch_id FROM orgs_person WHERE branch_id IN ({_ids_sql(ids)}) AND active
            AND standing IN ('full', 'probationary')""",
        [],
    )
    hours: dict[int, float] = {}
    for pid, h in _rows(
        """SELECT a.person_id, SUM(s.credited) FROM study_attendee a JOIN study_session s ON s.id = a.session_id
           WHERE s.date >= %s AND s.date <= %s GROUP BY a.person_id""",
        [dt.date(YEAR, 1, 1), TODAY],
    ):
        hours[pid] = hours.get(pid, 0) + float(h)
    for pid, h in _rows(
        """SELECT person_id, SUM(hours) FROM study_training WHERE status = 'approved' AND date >= %s AND date <= %s
           GROUP BY person_id""",
        [dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)],
    ):
        hours[pid] = hours.get(pid, 0) + float(h)
    seconds = (
        "SUM((julianday(m.ends_at) - julianday(m.starts_at)) * 86400)"
        if connection.vendor == "sqlite"
        else "SUM(EXTRACT(EPOCH FROM m.ends_at - m.starts_at))"
    )
    for pid, s in _rows(
        f"""SELECT a.person_id, {seconds} FROM orglife_attendance a JOIN orglife_meeting m ON m.id = a.meeting_id
            WHERE a.status = 'present' AND m.kind IN ('party_lecture', 'theme_day') AND m.date >= %s AND m.date <= %s
            GROUP BY a.person_id""",
        [dt.date(YEAR, 1, 1), TODAY],
    ):
        half_hours = int(Decimal(str(round(float(s)))) / 3600 * 2 + Decimal("0.5"))
        hours[pid] = hours.get(pid, 0) + half_hours / 2
    leaders = {
        p
        for (p,) in _rows(
            f"""SELECT person_id FROM orgs_committeeposition WHERE branch_id IN ({_ids_sql(ids)})
                AND ended_on IS NULL AND term_start <= %s""",
            [TODAY],
        )
    }
    exempt = {p for (p,) in _rows("SELECT person_id FROM study_exemption WHERE year = %s", [YEAR])}
    total = dict.fromkeys(ids, 0)
    met = dict.fromkeys(ids, 0)
    for pid, b in members:
        if pid in exempt:
            continue
        total[b] += 1
        met[b] += hours.get(pid, 0) >= (56 if pid in leaders else 32)
    return {b: met[b] / total[b] if total[b] else 1.0 for b in ids}


def _date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


SQL = {
    "dues_on_time": sql_dues,
    "rectify_closed": sql_rectify,
    "plan_done": sql_plans,
    "olm_held": sql_olm,
    "orglife_obligations": sql_obligations,
    "review_finalised": sql_review,
    "election_on_time": sql_election,
    "study_hours": sql_study,
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
        assert len(set(found["study_hours"].compute(ids, YEAR).values())) > 1
        assert (
            found["plan_done"].compute(ids, YEAR)[ids[1]] > 0 and found["rectify_closed"].compute(ids, YEAR)[ids[1]] < 1
        )


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
