"""Demo 组织关系 over the first branches of the demo district (a fixed handful of rows, whatever the
number of branches): a transfer within the district done two months ago (the person moved, ledger and
records kept), one waiting for the district's approval, a 转出 letter whose 回执 is overdue and one
received, a 临时介绍信, a member's request, a 失联 member past six months, a 处分 and an award.
bulk_create only; no audit entries (demo data, not user actions)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from zhibu.core import clock
from zhibu.membership import rules
from zhibu.membership.models import (
    CaseKind,
    CaseState,
    Merit,
    MeritKind,
    StatusEvent,
    StatusKind,
    TransferCase,
    TransferRequest,
)
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Person, Transfer, TransferDirection


def _spare(ctx, branch, taken: set[int], count: int) -> list[Person]:
    """Members without an account or a committee post (moving them touches no one's login)."""
    posts = set(CommitteePosition.objects.filter(branch=branch).values_list("person_id", flat=True))
    found = [
        p
        for p in ctx.people.get(branch.pk, [])
        if p.standing in MEMBER_STANDINGS and not p.user_id and p.pk not in posts and p.pk not in taken
    ]
    ctx.rng.shuffle(found)
    chosen = found[:count]
    taken.update(p.pk for p in chosen)
    return chosen


def generate(ctx) -> None:
    branches = ctx.branches
    if len(branches) < 3:
        return
    today = clock.today()
    a, b, c = branches[0], branches[1], branches[2]
    district = a.parent
    taken: set[int] = set()
    pa, pb, pc = _spare(ctx, a, taken, 3), _spare(ctx, b, taken, 2), _spare(ctx, c, taken, 3)
    if len(pa) < 3 or len(pb) < 2 or len(pc) < 3:
        return
    moved_on = today - dt.timedelta(days=60)
    paid_to = dt.date(moved_on.year, moved_on.month, 1)
    cases = [
        # within the district, done: the person now belongs to b
        TransferCase(
            branch=a,
            district=district,
            person=pa[0],
            kind=CaseKind.WITHIN,
            state=CaseState.DONE,
            to_branch=b,
            dues_paid_to=paid_to,
            reason="工作调动",
            started_on=moved_on - dt.timedelta(days=7),
            completed_on=moved_on,
        ),
        # within the district, waiting for the district
        TransferCase(
            branch=b,
            district=district,
            person=pb[0],
            kind=CaseKind.WITHIN,
            state=CaseState.PENDING,
            to_branch=c,
            dues_paid_to=dt.date(today.year, today.month, 1),
            reason="轮岗交流",
            started_on=today - dt.timedelta(days=3),
        ),
        # out of the district: one 回执 overdue, one received
        TransferCase(
            branch=a,
            district=district,
            person=pa[1],
            kind=CaseKind.OUT,
            state=CaseState.ISSUED,
            to_org="外区某幼儿园党支部",
            dues_paid_to=paid_to,
            reason="调往外区工作",
            started_on=today - dt.timedelta(days=45),
            issued_on=today - dt.timedelta(days=45),
            valid_days=rules.LETTER_DAYS_DEFAULT,
            letter_year=(today - dt.timedelta(days=45)).year,
            letter_seq=None,
        ),
        TransferCase(
            branch=c,
            district=district,
            person=pc[0],
            kind=CaseKind.OUT,
            state=CaseState.DONE,
            to_org="市直机关某党支部",
            dues_paid_to=paid_to,
            reason="调往市直单位",
            started_on=today - dt.timedelta(days=90),
            issued_on=today - dt.timedelta(days=90),
            valid_days=rules.LETTER_DAYS_DEFAULT,
            letter_year=(today - dt.timedelta(days=90)).year,
            letter_seq=None,
            receipt_on=today - dt.timedelta(days=70),
            completed_on=today - dt.timedelta(days=70),
        ),
        # a temporary letter for a short stay elsewhere (流动党员)
        TransferCase(
            branch=a,
            district=district,
            person=pa[2],
            kind=CaseKind.TEMPORARY,
            state=CaseState.ISSUED,
            to_org="省教育学院（跟岗培训）",
            reason="外出跟岗培训",
            started_on=today - dt.timedelta(days=10),
            issued_on=today - dt.timedelta(days=10),
            valid_days=90,
            letter_year=(today - dt.timedelta(days=10)).year,
            letter_seq=None,
        ),
    ]
    seqs: dict[int, int] = {}
    for case in sorted((x for x in cases if x.issued_on is not None), key=lambda x: x.issued_on or today):
        year = (case.issued_on or today).year
        seqs[year] = seqs.get(year, 0) + 1
        case.letter_year, case.letter_seq = year, seqs[year]
    TransferCase.objects.bulk_create(cases)
    pending, overdue, received = cases[1], cases[2], cases[3]
    common = {"date": moved_on, "dues_paid_to": paid_to, "note": "工作调动"}
    transfers = [
        Transfer(person=pa[0], branch=a, direction=TransferDirection.OUT, other_org=b.name, **common),
        Transfer(person=pa[0], branch=b, direction=TransferDirection.IN, other_org=a.name, **common),
        Transfer(
            person=pa[1],
            branch=a,
            direction=TransferDirection.OUT,
            date=overdue.issued_on or today,
            other_org=overdue.to_org,
            letter_number=overdue.letter_number,
            dues_paid_to=paid_to,
        ),
        Transfer(
            person=pc[0],
            branch=c,
            direction=TransferDirection.OUT,
            date=received.issued_on or today,
            other_org=received.to_org,
            letter_number=received.letter_number,
            dues_paid_to=paid_to,
        ),
    ]
    Transfer.objects.bulk_create(transfers)
    Person.objects.filter(pk=pa[0].pk).update(branch=b, group=None)
    Person.objects.filter(pk=pa[1].pk).update(active=False, left_on=overdue.issued_on)
    Person.objects.filter(pk=pc[0].pk).update(active=False, left_on=received.issued_on)
    _pending_approval(pending, today)
    TransferRequest.objects.bulk_create(
        [
            TransferRequest(
                branch=b,
                person=pb[1],
                destination="育才小学",
                reason="工作调动，拟调入育才小学",
                asked_on=today - dt.timedelta(days=2),
            ),
        ]
    )
    StatusEvent.objects.bulk_create(
        [
            StatusEvent(
                branch=c,
                person=pc[1],
                kind=StatusKind.LOST,
                on=today - dt.timedelta(days=220),
                reason="外出务工后多次电话、走访联系未果",
            ),
        ]
    )
    Merit.objects.bulk_create(
        [
            Merit(
                branch=c,
                person=pc[2],
                kind=MeritKind.PENALTY,
                title="警告",
                decided_on=today - dt.timedelta(days=100),
                decided_by=district.name,
                reason="违反工作纪律",
            ),
            Merit(
                branch=b,
                person=pb[1],
                kind=MeritKind.AWARD,
                title="优秀共产党员",
                decided_on=dt.date(today.year, 7, 1)
                if today >= dt.date(today.year, 7, 1)
                else dt.date(today.year - 1, 7, 1),
                decided_by=district.name,
                reason="保教工作成绩突出",
            ),
        ]
    )


def _pending_approval(case: TransferCase, today: dt.date) -> None:
    to_name = case.to_branch.name if case.to_branch else ""
    try:
        from zhibu.approvals.models import Approval
    except ImportError:  # approvals not installed
        return
    Approval.objects.bulk_create(
        [
            Approval(
                kind="membership.transfer",
                branch=case.branch,
                approver=case.district,
                subject_type=ContentType.objects.get_for_model(TransferCase),
                subject_id=case.pk,
                state="pending",
                title=f"组织关系转接：{case.person.name}（{case.branch.name} → {to_name}）",
                submitted_on=case.started_on,
                payload={"person": case.person.name, "to_branch": to_name},
            )
        ]
    )
