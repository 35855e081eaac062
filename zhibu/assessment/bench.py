"""`make bench` figures for the district assessment over the whole demo district (1,000 branches in
`make bench`): the results page's query count and time, and the assessment (selectors.assess: every
derived measure, the manual scores, the 述职) against one hand-written SQL baseline computing the same
figures, run interleaved so the ratio holds on a busy machine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.urls import reverse

from zhibu.assessment import rules, selectors
from zhibu.assessment.hooks import as_of
from zhibu.core.benchmarks import client_for, count_queries, figure, interleaved, timed
from zhibu.orglife import rules as orglife_rules

REPEAT = 5


def _on_time(vendor: str) -> str:
    if vendor == "sqlite":
        return "e.paid_on < date(e.month, '+1 month')"
    return "e.paid_on < e.month + interval '1 month'"


def _seconds(vendor: str) -> str:
    if vendor == "sqlite":
        return "SUM((julianday(m.ends_at) - julianday(m.starts_at)) * 86400)"
    return "SUM(EXTRACT(EPOCH FROM m.ends_at - m.starts_at))"


def _half_hours(vendor: str, seconds: str) -> str:
    """Half hours, rounded half up, of a number of seconds (study counts 党课 per hour to the half hour)."""
    if vendor == "sqlite":
        return f"CAST({seconds} / 1800.0 + 0.5 AS INTEGER)"
    return f"FLOOR({seconds} / 1800.0 + 0.5)"


def baseline_sql(*, prefix: str, year: int, last: dt.date, rubric_id: int) -> tuple[str, list]:
    """One statement: per branch below `prefix`, the fraction of each derived measure (see each
    app's assessment.py for the formulas) and the sum of its manual scores."""
    obligations = [o for o in orglife_rules.DEFAULT_OBLIGATIONS if not o.per_pair]
    ob_rows = ", ".join(f"('{o.kind}', {orglife_rules.period_months(o.frequency)})" for o in obligations)
    end_day = {m: (dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)) for m in range(1, 13)}
    # a period is over when its last day is before the as-of date
    over = " ".join(f"WHEN {m} THEN {1 if end_day[m] < last else 0}" for m in range(1, 13))
    start = dt.date(year, 1, 1)
    sql = f"""
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12),
    br AS (SELECT id FROM orgs_organisation WHERE kind = 'branch' AND path LIKE %s),
    held AS (
        SELECT DISTINCT m.branch_id, m.kind, m.month FROM orglife_meeting m JOIN br ON br.id = m.branch_id
        WHERE m.date BETWEEN %s AND %s
        UNION SELECT DISTINCT m.branch_id, 'member_evaluation', m.month FROM orglife_meeting m
        JOIN br ON br.id = m.branch_id WHERE m.date BETWEEN %s AND %s AND m.with_evaluation
    ),
    ob(kind, len) AS (VALUES {ob_rows}),
    per AS (SELECT ob.kind, (n.i - 1) * ob.len + 1 AS sm, n.i * ob.len AS em FROM ob JOIN n ON n.i <= 12 / ob.len),
    cell AS (
        SELECT br.id AS branch_id, MAX(CASE WHEN h.branch_id IS NULL THEN 0 ELSE 1 END) AS met,
               CASE per.em {over} END AS over
        FROM br CROSS JOIN per
        LEFT JOIN held h ON h.branch_id = br.id AND h.kind = per.kind AND h.month BETWEEN per.sm AND per.em
        GROUP BY br.id, per.kind, per.sm, per.em
    ),
    obl AS (SELECT branch_id, SUM(met) AS met, SUM(CASE WHEN met = 0 AND over = 1 THEN 1 ELSE 0 END) AS late
            FROM cell GROUP BY branch_id),
    dues AS (
        SELECT e.branch_id, COUNT(*) AS total, SUM(CASE WHEN {_on_time(connection.vendor)} THEN 1 ELSE 0 END) AS ok
        FROM dues_ledgerentry e JOIN br ON br.id = e.branch_id
        WHERE e.kind = 'payment' AND e.month BETWEEN %s AND %s
          AND NOT EXISTS (SELECT 1 FROM dues_ledgerentry r WHERE r.reverses_id = e.id)
        GROUP BY e.branch_id
    ),
    rect AS (
        SELECT i.branch_id, COUNT(*) AS total,
               SUM(CASE WHEN i.status IN ('closed', 'confirmed') THEN 1 ELSE 0 END) AS closed
        FROM rectify_item i JOIN br ON br.id = i.branch_id WHERE i.raised_on BETWEEN %s AND %s GROUP BY i.branch_id
    ),
    plan AS (
        SELECT p.branch_id, COUNT(*) AS total, SUM(CASE WHEN it.status = 'done' THEN 1 ELSE 0 END) AS done
        FROM plans_planitem it JOIN plans_plan p ON p.id = it.plan_id JOIN br ON br.id = p.branch_id
        WHERE p.year = %s AND p.kind = 'annual' AND it.status <> 'cancelled' GROUP BY p.branch_id
    ),
    olm AS (
        SELECT DISTINCT m.branch_id FROM orglife_meeting m JOIN br ON br.id = m.branch_id
        WHERE m.kind = 'org_life_meeting' AND m.date BETWEEN %s AND %s
    ),
    rev AS (SELECT DISTINCT r.branch_id FROM review_review r JOIN br ON br.id = r.branch_id
            WHERE r.year = %s AND r.finalised_at IS NOT NULL),
    term AS (
        SELECT cp.branch_id, MIN(cp.term_end) AS term_end FROM orgs_committeeposition cp JOIN br ON br.id = cp.branch_id
        WHERE cp.term_start <= %s AND (cp.ended_on IS NULL OR cp.ended_on > %s) GROUP BY cp.branch_id
    ),
    later AS (
        SELECT rs.branch_id, MAX(rs.to_end) AS to_end FROM elections_reschedule rs JOIN br ON br.id = rs.branch_id
        WHERE rs.approved_on <= %s GROUP BY rs.branch_id
    ),
    mem AS (
        SELECT p.id, p.branch_id,
               CASE WHEN EXISTS (SELECT 1 FROM orgs_committeeposition cp WHERE cp.person_id = p.id
                                 AND cp.branch_id = p.branch_id AND cp.ended_on IS NULL AND cp.term_start <= %s)
                    THEN %s ELSE %s END AS target
        FROM orgs_person p JOIN br ON br.id = p.branch_id
        WHERE p.active AND p.standing IN ('full', 'probationary')
          AND NOT EXISTS (SELECT 1 FROM study_exemption x WHERE x.person_id = p.id AND x.year = %s)
    ),
    sess AS (
        SELECT a.person_id, SUM(s.credited) AS h FROM study_attendee a JOIN study_session s ON s.id = a.session_id
        JOIN orgs_organisation o ON o.id = s.branch_id
        WHERE o.path LIKE %s AND s.date BETWEEN %s AND %s GROUP BY a.person_id
    ),
    trn AS (
        SELECT t.person_id, SUM(t.hours) AS h FROM study_training t JOIN orgs_organisation o ON o.id = t.branch_id
        WHERE o.path LIKE %s AND t.status = 'approved' AND t.date BETWEEN %s AND %s GROUP BY t.person_id
    ),
    lec AS (
        SELECT a.person_id, {_seconds(connection.vendor)} AS s FROM orglife_attendance a
        JOIN orglife_meeting m ON m.id = a.meeting_id JOIN orgs_organisation o ON o.id = m.branch_id
        WHERE o.path LIKE %s AND a.status = 'present' AND m.kind IN ('party_lecture', 'theme_day')
          AND m.date BETWEEN %s AND %s GROUP BY a.person_id
    ),
    study AS (
        SELECT mem.branch_id, COUNT(*) AS total,
               SUM(CASE WHEN COALESCE(sess.h, 0) + COALESCE(trn.h, 0)
                             + COALESCE({_half_hours(connection.vendor, "lec.s")}, 0) / 2.0 >= mem.target
                        THEN 1 ELSE 0 END) AS met
        FROM mem LEFT JOIN sess ON sess.person_id = mem.id LEFT JOIN trn ON trn.person_id = mem.id
        LEFT JOIN lec ON lec.person_id = mem.id GROUP BY mem.branch_id
    ),
    manual AS (
        SELECT s.branch_id, SUM(s.points) AS points FROM assessment_manualscore s JOIN br ON br.id = s.branch_id
        JOIN assessment_rubricitem it ON it.id = s.item_id WHERE it.rubric_id = %s GROUP BY s.branch_id
    )
    SELECT br.id,
           CASE WHEN COALESCE(obl.met, 0) + COALESCE(obl.late, 0) = 0 THEN 1.0
                ELSE 1.0 * obl.met / (obl.met + obl.late) END,
           CASE WHEN dues.total IS NULL THEN 0.0 ELSE 1.0 * dues.ok / dues.total END,
           CASE WHEN rect.total IS NULL THEN 1.0 ELSE 1.0 * rect.closed / rect.total END,
           CASE WHEN plan.total IS NULL THEN 0.0 ELSE 1.0 * plan.done / plan.total END,
           CASE WHEN olm.branch_id IS NULL THEN 0.0 ELSE 1.0 END,
           CASE WHEN rev.branch_id IS NULL THEN 0.0 ELSE 1.0 END,
           CASE WHEN term.term_end >= %s OR later.to_end >= %s THEN 1.0 ELSE 0.0 END,
           CASE WHEN COALESCE(study.total, 0) = 0 THEN 1.0 ELSE 1.0 * study.met / study.total END,
           COALESCE(manual.points, 0)
    FROM br LEFT JOIN obl ON obl.branch_id = br.id LEFT JOIN dues ON dues.branch_id = br.id
    LEFT JOIN rect ON rect.branch_id = br.id LEFT JOIN plan ON plan.branch_id = br.id
    LEFT JOIN olm ON olm.branch_id = br.id LEFT JOIN manual ON manual.branch_id = br.id
    LEFT JOIN rev ON rev.branch_id = br.id LEFT JOIN term ON term.branch_id = br.id
    LEFT JOIN later ON later.branch_id = br.id LEFT JOIN study ON study.branch_id = br.id
    """
    params = [
        prefix + "%",
        start,
        last,
        start,
        last,
        start,
        last.replace(day=1),
        start,
        last,
        year,
        start,
        last,
        year,
        last,
        last,
        last,
        last,
        56,
        32,
        year,
        prefix + "%",
        start,
        last,
        prefix + "%",
        start,
        dt.date(year, 12, 31),
        prefix + "%",
        start,
        last,
        rubric_id,
        last,
        last,
    ]
    return sql, params


KEYS = (
    "orglife_obligations",
    "dues_on_time",
    "rectify_closed",
    "plan_done",
    "olm_held",
    "review_finalised",
    "election_on_time",
    "study_hours",
)


def baseline(district, year: int, rubric) -> dict[int, Decimal]:
    """The scores from the SQL figures: each derived item's points × its fraction, plus manual points."""
    items = list(rubric.items.all())
    sql, params = baseline_sql(prefix=district.path, year=year, last=as_of(year), rubric_id=rubric.pk)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    out = {}
    for branch_id, *values in rows:
        by_key = dict(zip(KEYS, values[: len(KEYS)], strict=True))
        score = Decimal(str(values[len(KEYS)]))
        for item in items:
            if item.measure in by_key:
                score += rules.points_for(item.points, float(by_key[item.measure]))
        out[branch_id] = score
    return out


def run(ctx) -> list[dict]:
    year = ctx.year
    rubric = selectors.rubric_for(ctx.district, year)
    if rubric is None:
        return []
    client = client_for(ctx.accounts["district"])
    url = reverse("assessment:index", kwargs={"org_id": ctx.district.pk}) + f"?year={year}"
    assert client.get(url).status_code == 200
    queries = count_queries(lambda: client.get(url))
    page_s = timed(lambda: client.get(url), repeat=3)
    fn_s, sql_s = interleaved(
        lambda: selectors.assess(ctx.district, year), lambda: baseline(ctx.district, year, rubric), REPEAT
    )
    return [
        # ≤ 20: session, user, roles, the district, navigation; the rubric, its items, the branches, each
        # derived measure (orglife 2, dues, rectify, plans, 组织生活会 1 each), manual scores, 述职.
        figure("assessment_district_queries", queries, "queries", 20),
        figure("assessment_district_ms", page_s * 1000, "ms", None),
        figure("assessment_assess_ms", fn_s * 1000, "ms", None),
        figure("assessment_sql_baseline_ms", sql_s * 1000, "ms", None),
        figure("assessment_vs_sql_ratio", fn_s / sql_s if sql_s else 0.0, "x", 3),
    ]
