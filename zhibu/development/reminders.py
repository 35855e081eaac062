"""`zhibu remind` hook: due 思想汇报, half-yearly assessments, 预备期 ends and approvals.

Each reminder has a key unique to the candidate, the kind and the due date, so it is sent once."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from zhibu.core import notify
from zhibu.core.documents.text import cn_date
from zhibu.development import rules, selectors, timeline
from zhibu.development.models import Candidate
from zhibu.development.services import thought_report_months
from zhibu.orgs.models import MANAGER_ROLES, Role
from zhibu.workdays.selectors import get_calendar

THOUGHT_AHEAD = dt.timedelta(days=7)
ASSESSMENT_AHEAD = dt.timedelta(days=14)
PROBATION_AHEAD = dt.timedelta(days=30)
APPROVAL_AHEAD = dt.timedelta(days=14)
APPROVAL_STEPS = ("activist_filed", "candidate_approved", "pre_review", "approval_talk", "approval", "filed",
                  "full_approval", rules.EXTENSION, rules.CANCELLATION)


def collect(today: dt.date) -> Iterable[notify.Reminder]:
    qs = (Candidate.objects.filter(archived=False)
          .select_related("person", "branch").prefetch_related("steps", "links", "assessments", "thought_reports"))
    candidates = list(qs)
    if not candidates:
        return []
    calendar = get_calendar()
    managers: dict[int, list] = {}
    for role in Role.objects.filter(organisation_id__in={c.branch_id for c in candidates},
                                    role__in=MANAGER_ROLES).select_related("user"):
        managers.setdefault(role.organisation_id, []).append(role.user)
    out: list[notify.Reminder] = []
    for c in candidates:
        users = tuple({u.pk: u for u in managers.get(c.branch_id, [])}.values())
        if not users:
            continue
        name = c.person.name
        url = reverse("development:candidate", kwargs={"org_id": c.branch_id, "candidate_id": c.pk})

        def add(key: str, title: str, body: str = "") -> None:
            out.append(notify.Reminder(key=f"development:{key}:c={c.pk}", users=users, title=title, body=body,
                                       url=url, organisation=c.branch))

        status = timeline.derive(c, calendar=calendar, as_of=today, overrides=())
        due = selectors.thought_report_due(c, thought_report_months(c.branch))
        if due is not None and due <= today + THOUGHT_AHEAD:
            add(f"thought:{due}", f"{name} 的思想汇报应于 {cn_date(due)} 前提交")
        steps = {s.step for s in c.steps.all()}
        for n in status.next:
            if n.due is None:
                continue
            late = "（已逾期）" if n.due < today else ""
            mark = "（暂定）" if n.provisional else ""
            if n.step == "assessments" and n.due <= today + ASSESSMENT_AHEAD:
                add(f"assessment:{n.due}", f"{name} 的半年培养考察应于 {cn_date(n.due)}{mark} 前进行{late}",
                    "细则第11条：党支部每半年对入党积极分子进行一次考察。")
            elif n.step in APPROVAL_STEPS and n.kind == "deadline" and n.due <= today + APPROVAL_AHEAD:
                what = "上级党委审批" if n.step in (rules.EXTENSION, rules.CANCELLATION) else ""
                add(f"approval:{n.step}:{n.due}", f"{name}：{rules.step_name(n.step)}{what}期限 {cn_date(n.due)}{mark}{late}")
        end = status.probation_end
        decided = {"full_meeting", rules.CANCELLATION} & steps
        if end is not None and not status.cancelled and "full_application" not in steps and not decided \
                and end <= today + PROBATION_AHEAD:
            extended = f"（已延长{status.extended_months}个月）" if status.extended_months else ""
            options = "转正或取消预备党员资格" if status.extended_months else "转正、延长预备期或取消预备党员资格"
            when = f"已于 {cn_date(end)} 期满" if end < today else f"将于 {cn_date(end)} 期满"
            add(f"probation:{end}", f"{name} 的预备期{extended}{when}，请及时提出转正申请，由支部大会讨论{options}",
                "细则第31—34条：预备期自支部大会通过之日起计算，为一年；期满时可转正、延长一次（6—12个月）或取消资格。")
    return out
