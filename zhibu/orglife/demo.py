"""A year of organisational life for every demo branch, written in large bulk inserts.

About 75 meetings a branch (支委会, 主题党日, 集中学习 and each group's 党小组会 monthly; 党员大会
quarterly; 党课 quarterly, monthly in half the branches; 组织生活会 with 民主评议 in the autumn):
at 30 people a branch, about a million attendance rows for 1,000 branches. Attendance for everyone
expected, a vote at some 党员大会, 补课 for absentees of 党课/主题党日, and the 谈心谈话 pairs. Most
branches keep up; some skip meetings, so the district grid has overdue branches to sort. Only dates
before today are filled when the demo year is the current one, except the 支委会, 主题党日 and 党员大会
planned later this month, which are 已安排 (scheduled: listed, nothing recorded).

Speed: rows are pre-computed as tuples and written with executemany in batches of 5,000 through
the ORM's own table and column names (no model instances, no per-row save or audit). bulk_create
measured ~32 µs a row (a million attendance rows ≈ 30 s, half the whole demo budget); executemany
is about five times faster."""
from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from django.db import connection

from zhibu.core import bulk, clock
from zhibu.orglife import rules
from zhibu.orglife.models import Attendance, HeartTalk, MakeUpTask, Meeting, MeetingKind, Motion
from zhibu.orgs.models import CommitteePosition, Standing

TZ = clock.TZ
TOPICS = {
    MeetingKind.COMMITTEE_MEETING: ["研究本月党务工作", "研究发展党员工作", "研究党费收缴情况", "研究主题党日安排", "研究民主评议党员方案",
                                    "研究学期党建工作计划", "讨论入党积极分子培养情况"],
    MeetingKind.THEME_DAY: ["重温入党誓词", "学习党章党规", "参观红色教育基地", "志愿服务进社区", "“七一”主题党日", "师德师风专题学习",
                            "学习习近平新时代中国特色社会主义思想", "清廉校园建设主题党日"],
    MeetingKind.GROUP_MEETING: ["学习《中国共产党支部工作条例(试行)》", "交流学习体会", "讨论党员示范岗工作", "学习党的二十大精神"],
    MeetingKind.PARTY_CONGRESS: ["通报支部工作", "讨论预备党员转正", "讨论接收预备党员", "选举支部委员会"],
    MeetingKind.PARTY_LECTURE: ["书记讲党课:牢记初心使命", "廉政党课", "党史学习教育专题党课", "师德建设专题党课"],
    MeetingKind.ORG_LIFE_MEETING: ["年度组织生活会暨民主评议党员"],
    MeetingKind.OTHER: ["集中学习", "学习强国专题学习", "读书分享会"],
}
PLACES = ["党员活动室", "会议室", "多功能厅", "校史馆", "社区党群服务中心"]
SIGNIN_OFFSETS = (-20, -15, -10, -5, -2, 0, 3, 8)  # minutes from the start: cached per meeting
SCHEDULED_KINDS = (MeetingKind.COMMITTEE_MEETING, MeetingKind.PARTY_CONGRESS, MeetingKind.THEME_DAY)
LEAVE_REASONS = ["病假", "外出培训", "带班外出", "事假", "产假", "家中有事"]


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    bulk.insert_rows(f'"{table}"', columns, rows)


def _columns(model, names: list[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(n).column) for n in names]


def _next_id(model) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT MAX({connection.ops.quote_name('id')}) FROM {connection.ops.quote_name(model._meta.db_table)}")
        return (cur.fetchone()[0] or 0) + 1


def _aware(d: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


def _sqlite_dt(value: dt.datetime) -> str:
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))  # what the SQLite backend stores: naive UTC


def _datetime_adapter():
    return _sqlite_dt if connection.vendor == "sqlite" else connection.ops.adapt_datetimefield_value


def generate(ctx) -> None:
    t0 = time.monotonic()
    rng = ctx.rng
    year = ctx.year
    today = clock.today()
    last_day = min(dt.date(year, 12, 31), today - dt.timedelta(days=1)) if year >= today.year else dt.date(year, 12, 31)
    if last_day < dt.date(year, 1, 1):
        return
    now = clock.now()

    committee: dict[int, list[int]] = defaultdict(list)
    for branch_id, person_id in (CommitteePosition.objects.filter(branch__in=[b.pk for b in ctx.branches], ended_on__isnull=True)
                                 .order_by("position").values_list("branch_id", "person_id")):
        committee[branch_id].append(person_id)

    meeting_id = _next_id(Meeting)
    attendance_id = _next_id(Attendance)
    meetings, attendances, motions, makeups, talks = [], [], [], [], []
    prep = _datetime_adapter()
    created = prep(now)
    n_months = last_day.month if last_day.year == year else 12

    for bi, branch in enumerate(ctx.branches):
        people = [p for p in ctx.people.get(branch.pk, []) if p.active]
        members = [p for p in people if p.standing in (Standing.FULL, Standing.PROBATIONARY)]
        if not members:
            continue
        voting = {p.pk: p.standing == Standing.FULL for p in members}
        by_group: dict[int, list] = defaultdict(list)
        for p in members:
            if p.group_id:
                by_group[p.group_id].append(p)
        groups = sorted(by_group)
        member_ids = {p.pk for p in members}
        comm = [pid for pid in dict.fromkeys(committee.get(branch.pk, [])) if pid in member_ids]
        comm_people = [p for p in members if p.pk in set(comm)]
        host = comm[0] if comm else members[0].pk
        recorder = comm[1] if len(comm) > 1 else host
        # How well the branch keeps up: most do; some skip, a few skip a lot.
        r = rng.random()
        skip = 0.0 if r < 0.7 else 0.12 if r < 0.9 else 0.4

        monthly_lecture = rng.random() < 0.5
        plan: list[tuple[str, dt.date, int | None]] = []  # (kind, date, group id)
        for month in range(1, n_months + 1):
            def day(lo, hi, _m=month):
                return dt.date(year, _m, rng.randint(lo, hi))
            plan.append((MeetingKind.COMMITTEE_MEETING, day(1, 8), None))
            plan.append((MeetingKind.THEME_DAY, day(9, 20), None))
            for g in groups:  # 党小组会: generally monthly, per group (支部工作条例 第13条)
                plan.append((MeetingKind.GROUP_MEETING, day(10, 25), g))
            if month % 3 == 2:
                plan.append((MeetingKind.PARTY_CONGRESS, day(10, 25), None))
            if month % 3 == 0 or monthly_lecture:  # half the branches hold a 党课 every month (每月一课)
                plan.append((MeetingKind.PARTY_LECTURE, day(5, 25), None))
            plan.append((MeetingKind.OTHER, day(5, 25), None))  # 每月集中学习
            if month == min(11, n_months) and n_months >= 10:
                plan.append((MeetingKind.ORG_LIFE_MEETING, day(1, 20), None))
        for kind, date, group_id in plan:
            # Later this month: 已安排 (a 会议通知 would have gone out; nothing recorded yet).
            scheduled = year == today.year and date > today and date.month == today.month and kind in SCHEDULED_KINDS
            if (date > last_day and not scheduled) or (skip and rng.random() < skip):
                continue
            if kind == MeetingKind.GROUP_MEETING:
                expected = by_group[group_id]
            elif kind == MeetingKind.COMMITTEE_MEETING:
                expected = comm_people or members[:1]
            else:
                expected = members
            hour = rng.choice((14, 15, 16))
            starts = _aware(date, hour, rng.choice((0, 30)))
            ends = starts + dt.timedelta(minutes=rng.choice((60, 90, 120)))
            mid = meeting_id
            meeting_id += 1
            meetings.append((
                mid, branch.pk, kind, group_id, prep(starts), prep(ends), date.isoformat(), date.month,
                rng.choice(PLACES), rng.choice(TOPICS[kind]), host, recorder, "", "",
                kind == MeetingKind.ORG_LIFE_MEETING, f"{rng.getrandbits(60):015x}", created, None if scheduled else created,
            ))
            if scheduled:
                for pid in (p.id for p in expected):
                    attendances.append((attendance_id, mid, pid, "absent", "", voting[pid], False, "", None, "host"))
                    attendance_id += 1
                continue
            signin_times: dict[int, object] = {}
            owing = []
            n_present = n_voting = n_voting_present = 0
            for pid in (p.id for p in expected):
                x = rng.random()
                if x < 0.90:
                    status, reason = "present", ""
                elif x < 0.97:
                    status, reason = "leave", rng.choice(LEAVE_REASONS)
                else:
                    status, reason = "absent", ""
                v = voting[pid]
                signed = None
                source = "host"
                if status == "present":
                    n_present += 1
                    if rng.random() < 0.6:
                        k = rng.choice(SIGNIN_OFFSETS)
                        signed = signin_times.get(k)
                        if signed is None:
                            signed = signin_times[k] = prep(starts + dt.timedelta(minutes=k))
                        source = "self"
                elif kind in (MeetingKind.PARTY_LECTURE, MeetingKind.THEME_DAY):
                    owing.append(pid)
                if v:
                    n_voting += 1
                    n_voting_present += status == "present"
                attendances.append((attendance_id, mid, pid, status, reason, v, False, "", signed, source))
                attendance_id += 1
            for pid in owing:
                done = date + dt.timedelta(days=rng.randint(3, 40))
                makeups.append((mid, pid, branch.pk, date.isoformat(),
                                done.isoformat() if done <= last_day and rng.random() < 0.8 else None,
                                "观看录像并提交学习心得"))
            if kind == MeetingKind.PARTY_CONGRESS and n_voting and rng.random() < 0.5:
                votes_for = max(0, n_voting_present - rng.randint(0, 1))
                res = rules.motion_result(should_attend=n_voting, present=n_voting_present, votes_for=votes_for,
                                          against=0, abstain=n_voting_present - votes_for)
                motions.append((mid, rng.choice(["讨论预备党员转正", "讨论接收预备党员", "通过年度工作计划"]), votes_for, 0,
                                n_voting_present - votes_for, n_voting, n_voting_present, res.quorum_met, res.passed,
                                res.reason_zh, res.source, created))
        # 谈心谈话: diligent branches talk through every required pair, others about half.
        pairs = rules.required_talk_pairs(comm, [p.pk for p in members])
        share = 1.0 if skip == 0.0 else 0.5
        for a, b in pairs:
            if share < 1.0 and rng.random() > share:
                continue
            d = dt.date(year, rng.randint(1, n_months), rng.randint(1, 28))
            if d > last_day:
                d = last_day
            a, b = min(a, b), max(a, b)
            talks.append((branch.pk, a, b, d.isoformat(), ""))
        if (bi + 1) % 250 == 0:
            ctx.say(f"  组织生活: {bi + 1}/{len(ctx.branches)} 个支部 ({time.monotonic() - t0:.1f}s)")

    _insert(Meeting._meta.db_table, _columns(Meeting, [
        "id", "branch", "kind", "group", "starts_at", "ends_at", "date", "month", "place", "topic", "host", "recorder",
        "minutes", "resolutions", "with_evaluation", "signin_token", "created_at", "attendance_recorded_at"]), meetings)
    _insert(Attendance._meta.db_table, _columns(Attendance, [
        "id", "meeting", "person", "status", "leave_reason", "voting", "excluded", "excluded_reason", "signed_in_at",
        "source"]), attendances)
    _insert(Motion._meta.db_table, _columns(Motion, [
        "meeting", "title", "votes_for", "votes_against", "votes_abstain", "should_attend", "present", "quorum_met",
        "passed", "reason", "source", "created_at"]), motions)
    _insert(MakeUpTask._meta.db_table, _columns(MakeUpTask, ["meeting", "person", "branch", "created_on", "done_on", "note"]),
            makeups)
    _insert(HeartTalk._meta.db_table, _columns(HeartTalk, ["branch", "person_a", "person_b", "date", "note"]), talks)
    # Explicit ids were used for meetings and attendance: move the sequences on (PostgreSQL).
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), [Meeting, Attendance])
    if statements:
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    ctx.say(f"  组织生活: {len(meetings)} 次会议, {len(attendances)} 条出勤, {len(motions)} 项表决, "
            f"{len(makeups)} 项补课, {len(talks)} 次谈心谈话 ({time.monotonic() - t0:.1f}s)")
