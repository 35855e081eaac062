"""Reads of notices, guides and tasks: fixed query counts whatever the number of branches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhibu.notices import rules
from zhibu.notices.models import (
    DONE_STATES,
    Answer,
    AnswerState,
    Guide,
    Notice,
    Recipient,
    RecipientKind,
    StoredFile,
    Task,
)
from zhibu.orglife.models import MeetingKind
from zhibu.orgs.models import MANAGER_ROLES, MEMBER_STANDINGS, Organisation, OrgKind, Person, Role, Standing

GUIDE_KINDS = [
    (k, label)
    for k, label in MeetingKind.choices
    if k in ("party_congress", "committee_meeting", "group_meeting", "party_lecture", "theme_day", "org_life_meeting")
]
GUIDE_KIND_LABELS = dict(GUIDE_KINDS)


def branches_below(org: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).order_by("name", "id")


def district_of(org: Organisation) -> list[int]:
    """The committees above a branch (whose notices, guides and tasks reach it)."""
    return [pk for pk in org.ancestor_ids() if pk != org.pk]


# --- notices: the district's side ------------------------------------------------------------------


def sent_notices(org: Organisation, limit: int = 100) -> list[Any]:
    """The notices a committee sent, with addressees and reads (1 query)."""
    addressed = Q(recipients__kind__in=[RecipientKind.BRANCH, RecipientKind.PERSON])
    rows: list[Any] = list(
        Notice.objects.filter(sender=org)
        .annotate(
            n_total=Count("recipients", filter=addressed),
            n_read=Count("recipients", filter=addressed & Q(recipients__read_at__isnull=False)),
        )
        .order_by("-sent_at", "-id")[:limit]
    )
    for n in rows:
        n.read_rate = rules.rate(n.n_read, n.n_total)
    return rows


@dataclass
class BranchRead:
    recipient: Recipient
    members: int = 0  # forwarded to
    members_read: int = 0


@dataclass
class NoticeView:
    notice: Notice
    branches: list[BranchRead]
    people: list[Recipient]
    files: list[StoredFile]
    total: int = 0
    read: int = 0
    unread_branches: list[BranchRead] = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        return rules.rate(self.read, self.total)


def notice_view(notice: Notice) -> NoticeView:
    """签阅 per branch (who read it and when, members reached by the branch's forward) and per person
    addressed (4 queries whatever the number of branches)."""
    rows = list(
        Recipient.objects.filter(notice=notice)
        .exclude(kind=RecipientKind.FORWARDED)
        .select_related("branch", "person", "read_by", "forwarded_by")
        .order_by("branch__name", "branch_id", "id")
    )
    forwarded = {
        r["branch_id"]: (r["n"], r["n_read"])
        for r in Recipient.objects.filter(notice=notice, kind=RecipientKind.FORWARDED)
        .values("branch_id")
        .annotate(n=Count("id"), n_read=Count("id", filter=Q(read_at__isnull=False)))
        .order_by()
    }
    branches = []
    for r in rows:
        if r.kind == RecipientKind.BRANCH:
            n, n_read = forwarded.get(r.branch_id, (0, 0))
            branches.append(BranchRead(r, n, n_read))
    people = [r for r in rows if r.kind == RecipientKind.PERSON]
    files = list(notice.files.all())
    read = sum(1 for r in rows if r.read_at)
    view = NoticeView(notice, branches, people, files, total=len(rows), read=read)
    view.unread_branches = [b for b in branches if b.recipient.read_at is None]
    return view


# --- notices: the branch's side ----------------------------------------------------------------------


def inbox(branch: Organisation, *, manager: bool, person: Person | None) -> list[Recipient]:
    """The branch's notices (for its managers: addressed to the branch) and the ones addressed or
    forwarded to the person (1 query)."""
    q = Q(pk__in=[])
    if manager:
        q |= Q(branch=branch, kind=RecipientKind.BRANCH)
    if person is not None:
        q |= Q(person=person)
    return list(
        Recipient.objects.filter(q)
        .select_related("notice", "notice__sender", "read_by")
        .order_by("-notice__sent_at", "-id")
    )


def rows_for(notice_id: int, branch: Organisation, *, manager: bool, person: Person | None) -> list[Recipient]:
    q = Q(pk__in=[])
    if manager:
        q |= Q(kind=RecipientKind.BRANCH)
    if person is not None:
        q |= Q(person=person)
    return list(Recipient.objects.filter(q, notice_id=notice_id, branch=branch).select_related("notice", "read_by"))


def forwarded_rows(notice: Notice, branch: Organisation) -> list[Recipient]:
    return list(
        Recipient.objects.filter(notice=notice, branch=branch, kind=RecipientKind.FORWARDED)
        .select_related("person", "read_by")
        .order_by("person__name", "id")
    )


def manager_users(branch_ids) -> dict[int, list]:
    """branch id -> its managers' accounts (1 query)."""
    out: dict[int, list] = {}
    for role in Role.objects.filter(organisation_id__in=list(branch_ids), role__in=MANAGER_ROLES).select_related(
        "user"
    ):
        users = out.setdefault(role.organisation_id, [])
        if role.user not in users:
            users.append(role.user)
    return out


def unread_users_by_branch(notice: Notice) -> dict[int, list]:
    """Accounts to remind of an unread notice, by branch: the managers of each branch that has not
    signed and each person addressed directly who has not (2 queries)."""
    rows = list(
        Recipient.objects.filter(
            notice=notice, read_at__isnull=True, kind__in=[RecipientKind.BRANCH, RecipientKind.PERSON]
        )
        .select_related("person__user")
        .order_by("branch_id", "id")
    )
    managers = manager_users({r.branch_id for r in rows if r.kind == RecipientKind.BRANCH})
    out: dict[int, list] = {}
    for r in rows:
        if r.kind == RecipientKind.BRANCH:
            found = managers.get(r.branch_id, [])
        else:
            found = [r.person.user] if r.person is not None and r.person.user_id else []
        users = out.setdefault(r.branch_id, [])
        for u in found:
            if u not in users:
                users.append(u)
    return {b: users for b, users in out.items() if users}


def reminded_on(notice: Notice, on: dt.date) -> bool:
    """Whether the unread were reminded of this notice on that day (the button says so)."""
    from zhibu.core.models import ReminderLog

    return ReminderLog.objects.filter(key__startswith=f"{rules.remind_key(notice.pk, on)}:").exists()


def file_of_notice(notice: Notice, file_id: int) -> StoredFile | None:
    return notice.files.filter(pk=file_id).first()


def members_of(branch: Organisation) -> list[Person]:
    return list(Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS).select_related("user"))


# --- guides --------------------------------------------------------------------------------------


def guides_of(org: Organisation) -> list[Guide]:
    return list(Guide.objects.filter(district=org).order_by("-year", "-month", "-id")[:24])


def guide_for(branch: Organisation, year: int, month: int) -> Guide | None:
    """This month's guide of the committees above a branch (1 query)."""
    return Guide.objects.filter(district_id__in=district_of(branch), year=year, month=month).order_by("-id").first()


def kind_labels(kinds) -> list[str]:
    return [GUIDE_KIND_LABELS.get(k, k) for k in kinds]


# --- tasks -----------------------------------------------------------------------------------------


def tasks_of(org: Organisation) -> list[Any]:
    """A committee's tasks with their completion rate (1 query)."""
    rows: list[Any] = list(
        Task.objects.filter(district=org)
        .annotate(
            n_total=Count("answers"),
            n_done=Count("answers", filter=Q(answers__state__in=DONE_STATES)),
            n_waiting=Count("answers", filter=Q(answers__state=AnswerState.SUBMITTED)),
        )
        .order_by("-created_at", "-id")[:100]
    )
    for t in rows:
        t.rate = rules.rate(t.n_done, t.n_total)
    return rows


def answers_of(task: Task) -> list[Answer]:
    return list(
        Answer.objects.filter(task=task)
        .select_related("branch", "file", "submitted_by", "decided_by")
        .order_by("branch__name", "branch_id")
    )


def branch_answers(branch: Organisation) -> list[Answer]:
    return list(
        Answer.objects.filter(branch=branch)
        .select_related("task", "task__district")
        .order_by("-task__created_at", "-id")[:50]
    )


def derived_answer(kind: str, branch: Organisation, year: int, today: dt.date) -> str:
    """What the records already say for a task of a derived kind (最多报一次)."""
    if kind == rules.YEAREND_PACK:
        from zhibu.yearend import selectors as yearend

        subs = yearend.submissions(branch, year)
        if not subs:
            return f"{year}年度年终材料包尚未报送。"
        s = subs[0]
        return f"{year}年度年终材料包已于{s.submitted_at:%Y年%-m月%-d日}报送（{s.filename}）。"
    if kind == rules.RECTIFY_REPORT:
        from zhibu.rectify import selectors as rectify

        c = rectify.counts([branch.pk], today).get(branch.pk)
        if c is None:
            return "整改台账暂无事项。"
        return f"整改事项：已完成{c.closed}项，未完成{c.open}项（其中逾期{c.overdue}项）。"
    if kind == rules.ORGLIFE_COUNT:
        from zhibu.orglife import selectors as orglife

        held = (
            orglife.meetings_of(branch, year).filter(date__lte=today).values("kind").annotate(n=Count("id")).order_by()
        )
        counts = {r["kind"]: r["n"] for r in held}
        parts = [f"{label}{counts.get(k, 0)}次" for k, label in GUIDE_KINDS if k != "org_life_meeting"]
        return f"{year}年截至{today:%-m月%-d日}：" + "，".join(parts) + "。"
    if kind == rules.MEMBER_COUNT:
        row = Person.objects.filter(branch=branch, active=True).aggregate(
            full=Count("id", filter=Q(standing=Standing.FULL)),
            probationary=Count("id", filter=Q(standing=Standing.PROBATIONARY)),
        )
        return f"截至{today:%Y年%-m月%-d日}：正式党员{row['full']}名，预备党员{row['probationary']}名。"
    if kind == rules.STUDY_HOURS:
        from zhibu.study import selectors as study

        hours = study.branch_hours(branch, year, today)
        members = [h for h in hours if h.person.standing in MEMBER_STANDINGS]
        below = sum(1 for h in members if h.standing.below)
        total = sum((h.total for h in members), 0)
        avg = (total / len(members)) if members else 0
        return f"{year}年：党员{len(members)}名，人均学时{avg:.1f}，尚未达到学时要求{below}名。"
    return ""
