"""Browser: the 支部大会 admission vote (issue 10). A date in the future is refused on the page; a vote
that fails is recorded as 未通过 and makes nobody a 预备党员 (no 预备期, the approval refused).
The steps before the vote are recorded through the services; dates are relative to today."""
import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.development.models import Candidate, StepRecord
from zhibu.development.tests.test_app_services import CAL
from zhibu.orgs.models import Person, Standing

pytestmark = pytest.mark.browser


def ready(cast, today):
    """A 发展对象 with every step before the admission vote done, ending a week before today."""
    from zhibu.development import services

    p = next(p for p in cast.people if p.name == "陈老师")
    day = today - dt.timedelta(days=700)
    c = services.open_file(actor=cast.secretary, branch=cast.branch, person=p, application_date=day, calendar=CAL)
    steps = [("application_talk", 10), ("activist", 30), ("activist_filed", 35), ("candidate", 430),
             ("candidate_publicity", 640), ("candidate_approved", 650), ("political_review", 652),
             ("training", 653), ("committee_review", 660), ("pre_review", 670), ("application_form", 680)]
    full = [x for x in cast.people if x.standing == Standing.FULL]
    for step, offset in steps:
        extra = {}
        if step == "candidate_publicity":
            extra = {"end_date": day + dt.timedelta(days=offset + 9)}
        if step == "training":
            extra = {"end_date": day + dt.timedelta(days=offset + 2), "training_days": 3}
        services.record_step(actor=cast.secretary, candidate=c, step=step, date=day + dt.timedelta(days=offset),
                             calendar=CAL, override_reason="测试数据", **extra)
    services.record_step(actor=cast.secretary, candidate=c, step="sponsors", date=day + dt.timedelta(days=652),
                         people=full[:2], calendar=CAL, override_reason="测试数据")
    return c


def test_future_and_failed_admission_votes(live_cast, browser_page, login):
    page = browser_page
    today = clock.today()
    c = ready(live_cast, today)
    base = f"/o/{live_cast.branch.pk}/development/c/{c.pk}/"
    login(page, "secretary")

    # A meeting dated tomorrow has not happened: refused, nothing recorded.
    page.goto(base + "step/admission_meeting/")
    page.fill("[name=date]", (today + dt.timedelta(days=1)).isoformat())
    for name, value in (("should_attend", "12"), ("present", "9"), ("votes_for", "6"), ("against", "3"),
                        ("abstain", "0")):
        page.fill(f"[name={name}]", value)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "尚未发生的事项不能登记" in page.locator("main").inner_text()
    assert not StepRecord.objects.filter(candidate=c, step="admission_meeting").exists()

    # The same vote, held today: 6 of 12 is not more than half — recorded as failed.
    page.fill("[name=date]", today.isoformat())
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**{base}")
    main = page.locator("main").inner_text()
    assert "表决未通过" in main and "不接收为预备党员" in main
    assert "未通过" in page.locator('tr[data-step="admission_meeting"]').inner_text()
    assert "预备期满" not in main
    assert "支部大会讨论接收预备党员" in page.locator("#next").inner_text()  # the vote is due again
    person = Person.objects.get(pk=c.person_id)
    assert person.standing == Standing.CANDIDATE and person.admitted_on is None

    # Nothing follows a failed vote: the approval is refused on the page.
    page.goto(base + "step/approval/")
    page.fill("[name=date]", today.isoformat())
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "未通过，不能登记上级党委审批" in page.locator("main").inner_text()
    assert not StepRecord.objects.filter(candidate=c, step="approval").exists()
    assert Candidate.objects.get(pk=c.pk).next_step == "admission_meeting"
    assert Person.objects.get(pk=c.person_id).standing == Standing.CANDIDATE
