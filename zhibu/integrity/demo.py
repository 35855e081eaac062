"""Demo 廉政与师德: each branch's secretary and unit head with a 廉政责任清单 (mostly confirmed); the
师德承诺书 of every person in the first branches (most signed; the `member` account's left to sign),
one 师德失范 finding with the 一票否决 in a few branches. bulk_create only; no audit entries."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.integrity import rules
from zhibu.integrity.models import Commitment, DutyList, Violation
from zhibu.orgs.models import MEMBER_STANDINGS

SECRETARY_DUTIES = "\n".join((
    "履行全面从严治党第一责任人职责，每年专题研究党风廉政建设不少于2次",
    "落实“三重一大”集体决策制度",
    "与支部委员、中层干部开展廉政谈话",
    "抓好师德师风建设和警示教育",
))
HEAD_DUTIES = "\n".join((
    "落实“一岗双责”，分管范围内廉政风险点排查",
    "规范招生收费、食堂采购、财务管理",
    "教职工师德考核与有偿补课专项治理",
))
COMMITMENT_BRANCHES = 20  # the 师德承诺书 of every person in the first branches (a 1,000-branch demo stays quick)


def generate(ctx) -> None:
    rng, year = ctx.rng, ctx.year
    now = clock.now()
    duties: list[DutyList] = []
    commitments: list[Commitment] = []
    violations: list[Violation] = []
    member_user = ctx.accounts.get("member")
    for index, branch in enumerate(ctx.branches):
        people = ctx.people.get(branch.pk, [])
        members = [p for p in people if p.standing in MEMBER_STANDINGS]
        if not members:
            continue
        for person, title, text in ((members[0], "支部书记（第一责任人）", SECRETARY_DUTIES),
                                    (members[-1], "园长（一岗双责）", HEAD_DUTIES))[: 2 if len(members) > 1 else 1]:
            duties.append(DutyList(branch=branch, year=year, person=person, role_title=title, duties=text,
                                   signed_at=now if rng.random() < 0.8 else None))
        if index < COMMITMENT_BRANCHES:
            for person in people:
                own = member_user is not None and person.user_id == member_user.pk
                commitments.append(Commitment(branch=branch, year=year, person=person, text=rules.DEFAULT_COMMITMENT,
                                              signed_at=None if own or rng.random() < 0.15 else now))
        if index % 40 == 3 and len(people) > 3:
            when = dt.date(year, rng.randint(2, 5), rng.randint(1, 28))
            violations.append(Violation(branch=branch, person=people[3], date=when, year=year,
                                        description="违规组织有偿补课", handling="批评教育，退还费用"))
    DutyList.objects.bulk_create(duties, batch_size=1000)
    Commitment.objects.bulk_create(commitments, batch_size=1000)
    Violation.objects.bulk_create(violations)
    ctx.say(f"廉政与师德：责任清单 {len(duties)} 份，师德承诺书 {len(commitments)} 份，失范登记 {len(violations)} 条")
