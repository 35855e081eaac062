"""`make bench` figures for organisational life: the branch home (with this app's panel) and the
district grid, timed in-process (median of repeated runs) with their query counts, against one
hand-written SQL aggregation that computes the same district grid."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.benchmarks import client_for, count_queries, figure, interleaved, timed
from zhibu.orglife import rules
from zhibu.orgs.models import MEMBER_STANDINGS

REPEAT = 7

_OBLIGATIONS = [o for o in rules.DEFAULT_OBLIGATIONS if not o.per_pair]


def baseline_sql(*, prefix: str, year: int, as_of: dt.date) -> tuple[str, list]:
    """One SQL statement (SQLite and PostgreSQL) giving, for every branch below `prefix` and every obligation at its
    default frequency, the number of periods of `year` met / overdue / due / upcoming as of `as_of`,
    branches with most overdue first. 谈心谈话: met when every 委员–委员 and 委员–党员 pair has talked."""
    ob_rows = ", ".join(f"('{o.kind}', {rules.period_months(o.frequency)})" for o in _OBLIGATIONS)
    members = ", ".join(f"'{s}'" for s in MEMBER_STANDINGS)
    # month of as_of within `year`: 0 before the year, 13 after it
    am = as_of.month if as_of.year == year else (13 if as_of.year > year else 0)
    end = min(dt.date(year, 12, 31), as_of)
    sql = f"""
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12),
    br AS (SELECT id, name FROM orgs_organisation WHERE kind = 'branch' AND path LIKE %s),
    held AS (
        SELECT m.branch_id, m.kind, m.month FROM orglife_meeting m JOIN br ON br.id = m.branch_id
        WHERE m.date BETWEEN %s AND %s
        UNION
        SELECT m.branch_id, 'member_evaluation', m.month FROM orglife_meeting m JOIN br ON br.id = m.branch_id
        WHERE m.date BETWEEN %s AND %s AND m.with_evaluation
    ),
    ob(kind, len) AS (VALUES {ob_rows}),
    per AS (SELECT ob.kind, ob.len, n.i AS p, (n.i - 1) * ob.len + 1 AS sm, n.i * ob.len AS em
            FROM ob JOIN n ON n.i <= 12 / ob.len),
    cell AS (
        SELECT br.id AS branch_id, per.kind,
               CASE WHEN EXISTS (SELECT 1 FROM held h WHERE h.branch_id = br.id AND h.kind = per.kind
                                 AND h.month BETWEEN per.sm AND per.em) THEN 'met'
                    WHEN per.em < {am} THEN 'overdue' WHEN per.sm > {am} THEN 'upcoming' ELSE 'due' END AS status
        FROM br CROSS JOIN per
    ),
    mem AS (SELECT p.branch_id, COUNT(*) AS m FROM orgs_person p JOIN br ON br.id = p.branch_id
            WHERE p.active AND p.standing IN ({members}) GROUP BY p.branch_id),
    com AS (SELECT DISTINCT cp.branch_id, cp.person_id FROM orgs_committeeposition cp
            JOIN br ON br.id = cp.branch_id JOIN orgs_person p ON p.id = cp.person_id
            WHERE cp.ended_on IS NULL AND cp.term_start <= %s AND p.active AND p.standing IN ({members})),
    k AS (SELECT branch_id, COUNT(*) AS k FROM com GROUP BY branch_id),
    talked AS (
        SELECT t.branch_id, COUNT(DISTINCT t.person_a_id || '-' || t.person_b_id) AS n
        FROM orglife_hearttalk t JOIN br ON br.id = t.branch_id
        JOIN orgs_person pa ON pa.id = t.person_a_id JOIN orgs_person pb ON pb.id = t.person_b_id
        WHERE t.date BETWEEN %s AND %s AND pa.active AND pb.active
          AND pa.standing IN ({members}) AND pb.standing IN ({members})
          AND (EXISTS (SELECT 1 FROM com WHERE com.branch_id = t.branch_id AND com.person_id = t.person_a_id)
               OR EXISTS (SELECT 1 FROM com WHERE com.branch_id = t.branch_id AND com.person_id = t.person_b_id))
        GROUP BY t.branch_id
    ),
    talk_cell AS (
        SELECT br.id AS branch_id, 'heart_talk' AS kind,
               CASE WHEN COALESCE(talked.n, 0) >= COALESCE(k.k, 0) * (COALESCE(k.k, 0) - 1) / 2
                         + COALESCE(k.k, 0) * (CASE WHEN COALESCE(mem.m, 0) > COALESCE(k.k, 0) THEN COALESCE(mem.m, 0) ELSE COALESCE(k.k, 0) END - COALESCE(k.k, 0)) THEN 'met'
                    WHEN 12 < {am} THEN 'overdue' WHEN 1 > {am} THEN 'upcoming' ELSE 'due' END AS status
        FROM br LEFT JOIN k ON k.branch_id = br.id LEFT JOIN mem ON mem.branch_id = br.id
        LEFT JOIN talked ON talked.branch_id = br.id
    ),
    allc AS (SELECT * FROM cell UNION ALL SELECT * FROM talk_cell),
    per_kind AS (
        SELECT branch_id, kind, SUM(CASE WHEN status = 'met' THEN 1 ELSE 0 END) AS met, SUM(CASE WHEN status = 'overdue' THEN 1 ELSE 0 END) AS overdue,
               SUM(CASE WHEN status = 'due' THEN 1 ELSE 0 END) AS due, SUM(CASE WHEN status = 'upcoming' THEN 1 ELSE 0 END) AS upcoming
        FROM allc GROUP BY branch_id, kind
    )
    SELECT br.id, br.name, pk.kind, pk.met, pk.overdue, pk.due, pk.upcoming,
           SUM(pk.overdue) OVER (PARTITION BY br.id) AS total_overdue,
           SUM(pk.due) OVER (PARTITION BY br.id) AS total_due
    FROM per_kind pk JOIN br ON br.id = pk.branch_id
    ORDER BY total_overdue DESC, total_due DESC, br.name, br.id, pk.kind
    """
    start = dt.date(year, 1, 1).isoformat()
    params = [prefix + "%", start, end.isoformat(), start, end.isoformat(), as_of.isoformat(), start, end.isoformat()]
    return sql, params


def baseline_grid(*, prefix: str, year: int, as_of: dt.date) -> list[tuple]:
    sql, params = baseline_sql(prefix=prefix, year=year, as_of=as_of)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def run(ctx) -> list[dict]:
    figures = []
    branch_client = client_for(ctx.accounts["secretary"])
    home = reverse("orgs:home", kwargs={"org_id": ctx.branches[0].pk})
    assert branch_client.get(home).status_code == 200
    figures.append(figure("orglife_branch_home_ms", timed(lambda: branch_client.get(home), REPEAT) * 1000, "ms", None))
    figures.append(figure("orglife_branch_home_queries", count_queries(lambda: branch_client.get(home)), "queries", 15))

    district_client = client_for(ctx.accounts["district"])
    today = clock.today()
    year = ctx.year
    grid = reverse("orglife:district", kwargs={"org_id": ctx.district.pk}) + f"?year={year}&period=year"
    assert district_client.get(grid).status_code == 200
    as_of = today if year == today.year else dt.date(year, 12, 31)
    # Interleaved (grid, SQL, grid, SQL, …): the ratio holds on a busy machine.
    grid_s, sql_s = interleaved(lambda: district_client.get(grid),
                                lambda: baseline_grid(prefix=ctx.district.path, year=year, as_of=as_of), REPEAT)
    figures.append(figure("orglife_district_grid_ms", grid_s * 1000, "ms", None))
    figures.append(figure("orglife_district_grid_queries", count_queries(lambda: district_client.get(grid)), "queries", 20))

    figures.append(figure("orglife_district_grid_sql_baseline_ms", sql_s * 1000, "ms", None))
    figures.append(figure("orglife_district_grid_vs_sql_ratio", grid_s / sql_s if sql_s else 0.0, "x", 3))
    return figures
