"""Arrears reminders for `zhibu remind`: a warning to the member at 3 consecutive unpaid months and
an escalation to the branch secretary at 5 (rules.ARREARS_THRESHOLDS), well before the 6-month line
of 党章 第九条. A key names the member, the level and the first unpaid month of the streak, so each
streak is reminded once per level; a new streak (after paying) gets new keys."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.urls import reverse

from zhibu.core.notify import Reminder
from zhibu.dues import rules, selectors
from zhibu.orgs.models import Organisation, Person, Role, RoleKind

WARNING = next(t for t in rules.ARREARS_THRESHOLDS if t.level == "warning")
ESCALATE = next(t for t in rules.ARREARS_THRESHOLDS if t.level == "escalate")
LAPSED = rules.lapsed_threshold()


def collect(today: dt.date) -> Iterable[Reminder]:
    close = selectors.current_arrears(None, today)
    late = [r for r in close.rows if r.arrears >= WARNING.months]
    if not late:
        return []
    branch_ids = {r.branch_id for r in late}
    branches = Organisation.objects.in_bulk(branch_ids)
    person_users = dict(Person.objects.filter(pk__in=[r.person_id for r in late], user__isnull=False).values_list("pk", "user_id"))
    secretaries: dict[int, list[int]] = {}
    committees: dict[int, list[int]] = {}  # the branch committee: secretary and committee roles
    for org_id, user_id, role in (Role.objects.filter(organisation_id__in=branch_ids, role__in=[RoleKind.SECRETARY, RoleKind.COMMITTEE])
                                  .values_list("organisation_id", "user_id", "role")):
        committees.setdefault(org_id, []).append(user_id)
        if role == RoleKind.SECRETARY:
            secretaries.setdefault(org_id, []).append(user_id)
    users = get_user_model().objects.in_bulk(set(person_users.values()) | {u for ids in committees.values() for u in ids})
    out = []
    for r in late:
        branch = branches[r.branch_id]
        since = f"{r.first_unpaid:%Y-%m}"
        url = reverse("dues:member", kwargs={"org_id": r.branch_id, "person_id": r.person_id})
        user = users.get(person_users.get(r.person_id))
        if user is not None:
            out.append(Reminder(
                key=f"dues:warning:person={r.person_id}:from={since}", users=(user,), organisation=branch, url=url,
                title=f"党费提醒：您已连续{r.arrears}个月未交纳党费",
                body=(f"{r.name}同志：您自{r.first_unpaid:%Y年%-m月}起已连续{r.arrears}个月未交纳党费，请尽快向支部交纳（可补交）。"
                      f"依据：{WARNING.source}。连续6个月不交纳党费又无正当理由的，按{rules.DANGZHANG}第九条处理。"),
            ))
        if r.arrears >= ESCALATE.months:
            recipients = tuple(users[u] for u in secretaries.get(r.branch_id, []) if u in users)
            if recipients:
                out.append(Reminder(
                    key=f"dues:escalate:person={r.person_id}:from={since}", users=recipients, organisation=branch, url=url,
                    title=f"党费欠缴：{r.name}已连续{r.arrears}个月未交纳党费",
                    body=(f"{branch.name}:{r.name}自{r.first_unpaid:%Y年%-m月}起已连续{r.arrears}个月未交纳党费。{ESCALATE.label}。"
                          f"请在满6个月前谈话了解原因并督促交纳（{rules.DANGZHANG}第九条；{rules.DOC} 第13条）。"),
                ))
        if r.arrears >= LAPSED.months:
            # The 党章 第九条 line: a warning to the whole committee. Nobody is removed automatically:
            # whether there was good reason is for the branch to find out and decide.
            recipients = tuple(users[u] for u in dict.fromkeys(committees.get(r.branch_id, [])) if u in users)
            if recipients:
                out.append(Reminder(
                    key=f"dues:lapsed:person={r.person_id}:from={since}", users=recipients, organisation=branch, url=url,
                    title=f"党费预警：{r.name}已连续{r.arrears}个月未交纳党费，请支委会研究",
                    body=(f"{branch.name}：{r.name}自{r.first_unpaid:%Y年%-m月}起已连续{r.arrears}个月未交纳党费。{LAPSED.label}"
                          f"（{LAPSED.source}）。请支委会了解有无正当理由并研究处理；系统不会自动处理党籍。"),
                ))
    return out
