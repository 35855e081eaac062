"""Hook for other apps (discovered as `zhibu.<app>.study_records`): the branch's study sessions in a
period, e.g. the 会前学习 before a 组织生活会 (orglifemeeting shows them on its checklist). One query."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from zhibu.orgs.models import Organisation
from zhibu.study.models import Session


def between(branch: Organisation, start: dt.date, end: dt.date) -> list[tuple[dt.date, str, str]]:
    """(date, label, url) of each study session held from `start` to `end`, oldest first."""
    rows = Session.objects.filter(branch=branch, date__gte=start, date__lte=end).order_by("date", "id")
    return [
        (s.date, s.topic, reverse("study:session", kwargs={"org_id": branch.pk, "session_id": s.pk}))
        for s in rows.only("id", "date", "topic")
    ]
