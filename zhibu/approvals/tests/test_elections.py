"""换届请示 through the inbox where the district's setting says so: recording the 请示 sends it up; the
approval records the 批复 dated by the approval date; while it is open the branch does not record a 批复
itself. Without the setting nothing changes (elections' own tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhibu.approvals import services as approvals
from zhibu.approvals.models import Approval, State
from zhibu.core import clock
from zhibu.elections import rules, services
from zhibu.elections.models import Election
from zhibu.elections.tests.helpers import TODAY, start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def _requested(cast):
    election = start(cast)
    services.record_step(actor=cast.secretary, election=election, code=rules.DECIDE, on=dt.date(2028, 7, 1))
    services.record_step(actor=cast.secretary, election=election, code=rules.REQUEST, on=dt.date(2028, 8, 1))
    return election


def test_without_the_setting_no_request(cast):
    _requested(cast)
    assert not Approval.objects.exists()


def test_request_sent_up_and_the_reply_dated_by_the_approval(cast, client_for):
    cast.district.settings = {"elections_request_via_approvals": True}
    cast.district.save(update_fields=["settings"])
    election = _requested(cast)
    a = Approval.objects.get()
    assert a.kind == "elections.request" and a.state == State.PENDING and a.submitted_on == dt.date(2028, 8, 1)
    with pytest.raises(ValidationError) as exc:
        services.record_step(actor=cast.secretary, election=election, code=rules.REPLY, on=dt.date(2028, 8, 10))
    assert exc.value.code == "via_approvals"
    # correcting the 请示 date does not send it twice
    services.record_step(actor=cast.secretary, election=election, code=rules.REQUEST, on=dt.date(2028, 8, 2))
    assert Approval.objects.count() == 1
    html = client_for("secretary").get(f"/o/{cast.branch.pk}/elections/{election.pk}/").content.decode()
    assert "换届请示" in html and "待审批" in html
    approvals.approve(actor=cast.district_admin, approval=a, on=dt.date(2028, 8, 10), note="区教党委〔2028〕12号")
    election = Election.objects.get(pk=election.pk)
    assert election.reply_on == dt.date(2028, 8, 10) and election.reply_ref == "区教党委〔2028〕12号"
