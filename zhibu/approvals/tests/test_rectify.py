"""整改 销号 through the inbox where the district's setting says so: 提交销号 is a request; approval
closes the item on the approval date; 打回 returns it with the reason; the rectify close/退回 buttons give
way to the inbox. Without the setting nothing changes (rectify's own tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from zhibu.approvals import services as approvals
from zhibu.approvals.models import Approval, State
from zhibu.core import clock
from zhibu.rectify import services
from zhibu.rectify.models import Item
from zhibu.rectify.tests.helpers import raise_one

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def _via_approvals(cast):
    cast.district.settings = {**(cast.district.settings or {}), "rectify_close_via_approvals": True}
    cast.district.save(update_fields=["settings"])


def _submitted(cast):
    with transaction.atomic():  # (raise_item is the plain helper other apps call inside their service)
        item = raise_one(cast)
    with clock.frozen(DAY):
        return services.submit(actor=cast.secretary, item=item, evidence="已补齐谈话并记录")


def test_without_the_setting_no_request(cast):
    item = _submitted(cast)
    assert item.status == "submitted" and not Approval.objects.exists()


def test_close_through_the_inbox_dated_by_the_approval(cast, client_for):
    _via_approvals(cast)
    item = _submitted(cast)
    a = Approval.objects.get()
    assert a.kind == "rectify.close" and a.state == State.PENDING and a.approver == cast.district
    with clock.frozen(DAY), pytest.raises(ValidationError) as exc:  # the old button gives way to the inbox
        services.close(actor=cast.district_admin, item=item)
    assert exc.value.code == "via_approvals"
    html = client_for("district_admin").get(reverse("rectify:item", args=[cast.branch.pk, item.pk])).content.decode()
    assert 'id="close-form"' not in html and "待审批" in html
    with clock.frozen(DAY + dt.timedelta(days=3)):
        approvals.approve(actor=cast.district_admin, approval=a, on=DAY + dt.timedelta(days=2))
    item = Item.objects.get(pk=item.pk)
    assert item.status == "closed" and item.closed_on == DAY + dt.timedelta(days=2)
    assert item.closed_by == cast.district_admin and item.review_due is not None


def test_returned_in_the_inbox_goes_back_with_the_reason_then_resubmitted(cast):
    _via_approvals(cast)
    item = _submitted(cast)
    a = Approval.objects.get()
    with clock.frozen(DAY):
        approvals.send_back(actor=cast.district_admin, approval=a, reason="缺少谈话记录照片")
    item = Item.objects.get(pk=item.pk)
    assert item.status != "submitted" and item.sent_back_reason == "缺少谈话记录照片"
    with clock.frozen(DAY + dt.timedelta(days=1)):
        services.submit(actor=cast.secretary, item=item, evidence="已补谈话记录")
    a.refresh_from_db()
    assert a.state == State.PENDING and a.submitted_on == DAY + dt.timedelta(days=1)
    assert list(a.events.values_list("action", flat=True)) == ["submit", "return", "resubmit"]
