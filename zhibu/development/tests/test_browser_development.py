"""Browser journey of issue 5: a candidate from 入党申请书 to 预备党员, stopped on the way by a 公示 one
working day short over the 2026 National Day holiday, ending with the 公示 and ballot downloads.
Dates are fixed relative to the data (the 2026 holidays), not to today; nothing is frozen."""
import io
import re

import docx
import pytest

from zhibu.development.models import Candidate
from zhibu.orgs.models import Person, Standing

pytestmark = pytest.mark.browser

WALK = [
    ("application_talk", {"date": "2025-03-20", "actor_name": "李组织"}),
    ("activist", {"date": "2025-04-10", "actor_name": "支部委员会"}),
    ("activist_filed", {"date": "2025-04-20"}),
    ("contacts", {"date": "2025-04-20", "people": ["张党员", "赵党员"]}),
    ("candidate", {"date": "2026-09-21", "actor_name": "支部委员会"}),
]
AFTER_PUBLICITY = [
    ("candidate_approved", {"date": "2026-10-12"}),
    ("sponsors", {"date": "2026-10-12", "people": ["张党员", "钱党员"]}),
    ("political_review", {"date": "2026-10-13"}),
    ("training", {"date": "2026-10-14", "end_date": "2026-10-16", "training_days": "3"}),
    ("committee_review", {"date": "2026-10-19"}),
    ("pre_review", {"date": "2026-10-20"}),
    ("application_form", {"date": "2026-10-21"}),
    ("admission_meeting", {"date": "2026-10-28", "present": "8", "votes_for": "7", "against": "1", "abstain": "0"}),
    ("approval_talk", {"date": "2026-11-05"}),
    ("approval", {"date": "2026-11-10"}),
]


def record(page, base, step, values):
    page.goto(f"{base}step/{step}/")
    for name, value in values.items():
        if name == "people":
            for person in value:
                page.get_by_label(person, exact=True).check()
        else:
            page.fill(f"[name={name}]", value)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    if step in SENT_UP and page.url == base:  # sent up (报上级党委): the district approves the same day
        approve(step, values["date"])
        page.goto(base)


SENT_UP = {"activist_filed", "candidate_approved", "pre_review", "approval"}


def approve(step, date):
    import datetime as dt

    from django.contrib.auth import get_user_model

    from zhibu.approvals import services as approvals
    from zhibu.approvals.models import Approval

    request = Approval.objects.get(kind=f"development.{step}", state="pending")
    approvals.approve(actor=get_user_model().objects.get(username="district"), approval=request,
                      on=dt.date.fromisoformat(date))


def test_candidate_to_probationary_member_with_a_short_publicity(live_cast, browser_page, login, tmp_path):
    page = browser_page
    branch = live_cast.branch
    login(page, "secretary")
    page.goto(f"/o/{branch.pk}/")
    page.get_by_role("link", name="发展党员").first.click()
    page.get_by_role("link", name="登记入党申请").click()
    page.select_option("select[name=person]", label="陈老师")
    page.fill("[name=application_date]", "2025-03-03")
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r"/development/c/\d+/$"))
    assert "递交入党申请书" in page.content()
    base = page.url.split("?")[0]
    candidate = Candidate.objects.get(person__name="陈老师")

    for step, values in WALK:
        record(page, base, step, values)
        assert page.url == base, f"{step} was not recorded: {page.locator('main').inner_text()[:500]}"

    # The 公示 over the National Day holiday: 09-29 to 10-09 has only 4 working days.
    record(page, base, "candidate_publicity", {"date": "2026-09-29", "end_date": "2026-10-09"})
    blocked = page.locator("#blocked").inner_text()
    assert "仅 4 个工作日" in blocked and "应不少于 5 个工作日" in blocked
    assert "发展党员工作细则（2026） 第13条" in blocked
    assert not candidate.steps.filter(step="candidate_publicity").exists()
    # Fixed: 10-10 is the Saturday make-up working day.
    page.fill("[name=end_date]", "2026-10-10")
    page.click("form.card button[type=submit]")
    page.wait_for_url(base)
    assert page.locator('tr[data-step="candidate_publicity"]').inner_text().count("2026-10-10") == 1

    for step, values in AFTER_PUBLICITY:
        record(page, base, step, values)
        assert page.url == base, f"{step} was not recorded: {page.locator('main').inner_text()[:500]}"

    assert "预备党员" in page.locator("h1").inner_text()
    assert "通过" in page.locator('tr[data-step="admission_meeting"]').inner_text()
    assert not page.locator("tr.has-violation").count()
    person = Person.objects.get(pk=candidate.person_id)
    assert person.standing == Standing.PROBATIONARY and str(person.admitted_on) == "2026-10-28"

    page.fill("#publicity-start", "2026-09-29")
    with page.expect_download() as info:
        page.get_by_role("button", name="生成公示").click()
    path = tmp_path / "publicity.docx"
    info.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "拟将陈老师同志确定为发展对象" in text
    assert "2026年9月29日至2026年10月10日（5个工作日）" in text

    with page.expect_download() as info:
        page.locator("button[data-kind=ballot]").click()
    assert info.value.suggested_filename == "陈老师-表决票.docx"
    path = tmp_path / "ballot.docx"
    info.value.save_as(path)
    ballots = docx.Document(path)
    assert len(ballots.tables) == 8  # one per voting member who should attend
    assert any("关于接收陈老师同志为中共预备党员的表决" in p.text for p in ballots.paragraphs)

    page.goto(base)
    assert page.locator("#documents").inner_text().count(".docx") == 2
    with page.expect_download() as info:
        page.locator("#documents a", has_text="表决票").click()
    assert len(docx.Document(io.BytesIO(open(info.value.path(), "rb").read())).tables) == 8
