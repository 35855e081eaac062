"""A kind for the tests of the mechanism itself (the real kinds belong to the apps that own them)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhibu.approvals import kinds, services
from zhibu.core import clock

TEST_KIND = "approvals.test"
TODAY = dt.date(2026, 3, 2)  # a Monday


class Calls:
    def __init__(self) -> None:
        self.approved: list = []
        self.returned: list = []
        self.refuse = False


@pytest.fixture
def test_kind(monkeypatch):
    """Registers "approvals.test" (deadline 10 working days) and records what the hooks were called with."""
    from django.core.exceptions import ValidationError

    calls = Calls()

    def on_approved(a):
        if calls.refuse:
            raise ValidationError("规则不允许", code="refused_by_app")
        calls.approved.append((a.pk, a.decided_on))

    kind = kinds.Kind(
        label="测试事项",
        source="测试",
        deadline_workdays=10,
        on_approved=on_approved,
        on_returned=lambda a: calls.returned.append((a.pk, a.reason)),
        subject_url=lambda a: f"/o/{a.branch_id}/subject/{a.subject_id}/",
    )
    monkeypatch.setitem(kinds.registry(), TEST_KIND, kind)
    return calls


def submit(cast, subject=None, on=TODAY, title="测试报批", **kw):
    with clock.frozen(on):
        return services.submit(
            actor=cast.secretary,
            branch=cast.branch,
            kind=TEST_KIND,
            subject=subject or cast.member_person,
            title=title,
            submitted_on=on,
            **kw,
        )
