"""Pages of issue 10 for meetings: the compact attendance list starting from 全部出席, errors at the
person, the blank 签到表, 请假 from the notice on a phone, the QR code's public address, motions edited
and deleted until 定稿, the home panel's 已安排 and the plan item shown on the meeting."""
import datetime as dt
import re

import pytest
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.orglife import services
from zhibu.orglife.models import Motion
from zhibu.orglife.tests.helpers import at, mark, meeting

pytestmark = pytest.mark.django_db
D = dt.date
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=clock.TZ)
LATER = D(2026, 12, 28)


@pytest.fixture
def now():
    with clock.frozen(NOW) as when:
        yield when


def _row(html: str, name: str) -> str:
    match = re.search(rf'<tr class="attendance-row[^"]*" data-person="{name}">(.*?)</tr>', html, re.S)
    assert match, name
    return match.group(0)


def test_attendance_starts_from_everyone_present_and_errors_show_at_the_person(cast, client_for, now):
    m = meeting(cast, "party_congress", day=D(2026, 11, 20))
    c = client_for("secretary")
    url = reverse("orglife:attendance", args=[cast.branch.pk, m.pk])
    html = c.get(url).content.decode()
    assert "默认全部出席" in html
    for p in cast.people[:9]:
        assert re.search(r'value="present"[^>]*checked', _row(html, p.name)), p.name
    # post only the exceptions' changes (the page sends every row): one absent, one on leave without a reason
    data = {f"status_{p.pk}": "present" for p in cast.people[:9]}
    data[f"status_{cast.people[3].pk}"] = "absent"
    data[f"status_{cast.people[4].pk}"] = "leave"
    r = c.post(url, data)
    html = r.content.decode()
    assert r.status_code == 200 and "请假须填写原因" in _row(html, "钱党员")
    assert "has-error" in _row(html, "钱党员") and "has-error" not in _row(html, "王书记")
    assert not AuditEntry.objects.filter(action="attendance").exists()
    data[f"leave_reason_{cast.people[4].pk}"] = "外出学习"
    assert c.post(url, data).status_code == 302
    counts = services.attendance_counts(m.attendances.all())
    assert (counts["should"], counts["present"], counts["leave"], counts["absent"]) == (9, 7, 1, 1)
    # once recorded, the form shows what was recorded
    html = c.get(url).content.decode()
    assert "默认全部出席" not in html and re.search(r'value="absent"[^>]*checked', _row(html, "赵党员"))


def test_attendance_list_is_compact(cast, client_for, now):
    """21 people on one screen: one table row a person, no per-person cards or blocks of fields."""
    from zhibu.orgs.testing import PersonFactory

    for i in range(12):
        PersonFactory(branch=cast.branch, name=f"党员{i:02d}")
    m = meeting(cast, "party_congress", day=D(2026, 11, 20))
    html = client_for("secretary").get(reverse("orglife:attendance", args=[cast.branch.pk, m.pk])).content.decode()
    assert html.count('class="attendance-row') == 21
    assert 'class="card attendance-row' not in html and "<details" in html  # exclusions tucked away


def test_attendance_page_of_a_scheduled_meeting_redirects(cast, client_for, now):
    m = meeting(cast, day=LATER)
    c = client_for("secretary")
    r = c.get(reverse("orglife:attendance", args=[cast.branch.pk, m.pk]), follow=True)
    assert "尚未召开" in r.content.decode() and r.redirect_chain
    html = c.get(reverse("orglife:meeting", args=[cast.branch.pk, m.pk])).content.decode()
    assert "已安排" in html and 'id="attendance-link"' not in html and "扫码签到" not in html
    r = c.get(reverse("orglife:minutes_docx", args=[cast.branch.pk, m.pk]))
    assert r.status_code == 302


def test_blank_signin_sheet_prints_everyone_expected(cast, client_for, now):
    m = meeting(cast, "party_congress", day=LATER, place="党员活动室")
    r = client_for("secretary").get(reverse("orglife:signin_sheet", args=[cast.branch.pk, m.pk]))
    html = r.content.decode()
    assert r.status_code == 200 and "签到表" in html and "本人签名" in html and "党员活动室" in html
    assert all(p.name in html for p in cast.people[:9]) and "冯积极" not in html
    assert "郑预备（预备）" in html
    assert client_for("member").get(reverse("orglife:signin_sheet", args=[cast.branch.pk, m.pk])).status_code == 403


def test_member_asks_for_leave_from_the_notice_on_a_phone(cast, client_for, now):
    m = services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="party_congress", topic="讨论接收预备党员",
                                starts_at=at(LATER, 15), ends_at=at(LATER, 16), place="党员活动室", agenda="学习党章\n表决")
    c = client_for("member")
    url = reverse("orglife:leave", args=[cast.branch.pk, m.pk])
    html = c.get(url).content.decode()
    assert "会议通知" in html and "党员活动室" in html and "<li>学习党章</li>" in html and "我不能参加，请假" in html
    r = c.post(url, {"reason": ""})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert c.post(url, {"reason": "外出培训"}).status_code == 302
    assert "已请假" in c.get(url).content.decode()
    # the committee sees the request on the meeting
    html = client_for("secretary").get(reverse("orglife:meeting", args=[cast.branch.pk, m.pk])).content.decode()
    assert "请假申请" in html and "张党员：外出培训" in html
    # the notice in the bell leads to this page
    from zhibu.core.models import Notification

    assert Notification.objects.filter(user=cast.member, url=url).exists()


def test_signin_qr_uses_the_configured_public_address(cast, client_for, now, settings):
    m = meeting(cast, day=D(2026, 12, 2))
    url = reverse("orglife:meeting", args=[cast.branch.pk, m.pk])
    path = reverse("orglife:signin", args=[cast.branch.pk, m.signin_token])
    settings.ZHIBU_BASE_URL = ""
    html = client_for("secretary").get(url).content.decode()
    assert f"http://testserver{path}" in html and 'id="base-url-note"' in html
    settings.ZHIBU_BASE_URL = "https://zhibu.example.edu.cn"
    html = client_for("secretary").get(url).content.decode()
    assert f'href="https://zhibu.example.edu.cn{path}"' in html and 'id="base-url-note"' not in html
    assert "testserver" not in html.split('id="signin-link"', 1)[1][:200]


def test_motion_edit_delete_and_finalise_pages(cast, client_for, now):
    m = meeting(cast, day=D(2026, 11, 20))
    mark(cast, m, {p: "present" for p in cast.people[:6]})
    motion = services.add_motion(actor=cast.secretary, meeting=m, title="甲", votes_for=4, votes_against=2, votes_abstain=0)
    c = client_for("secretary")
    detail = reverse("orglife:meeting", args=[cast.branch.pk, m.pk])
    html = c.get(detail).content.decode()
    edit = reverse("orglife:motion_edit", args=[cast.branch.pk, m.pk, motion.pk])
    assert edit in html and "会议记录定稿" in html
    r = c.post(edit, {"title": "甲", "votes_for": "7", "votes_against": "0", "votes_abstain": "0"})
    assert r.status_code == 200 and "不能超过实到有表决权党员人数" in r.content.decode()
    assert c.post(edit, {"title": "甲", "votes_for": "5", "votes_against": "1", "votes_abstain": "0"}).status_code == 302
    motion.refresh_from_db()
    assert motion.passed
    other = services.add_motion(actor=cast.secretary, meeting=m, title="乙", votes_for=1, votes_against=0, votes_abstain=0)
    c.post(reverse("orglife:motion_delete", args=[cast.branch.pk, m.pk, other.pk]))
    assert not Motion.objects.filter(pk=other.pk).exists()
    c.post(reverse("orglife:meeting_finalise", args=[cast.branch.pk, m.pk]))
    html = c.get(detail).content.decode()
    assert "已定稿" in html and edit not in html and "记录表决" not in html
    r = c.post(edit, {"title": "甲", "votes_for": "6", "votes_against": "0", "votes_abstain": "0"}, follow=True)
    assert "已定稿" in r.content.decode()
    motion.refresh_from_db()
    assert motion.votes_for == 5
    assert c.get(reverse("orglife:meeting_edit", args=[cast.branch.pk, m.pk])).status_code == 302


def test_attendance_correction_after_a_vote_warns(cast, client_for, now):
    m = meeting(cast, day=D(2026, 11, 20))
    mark(cast, m, {p: "present" for p in cast.people[:6]})
    services.add_motion(actor=cast.secretary, meeting=m, title="甲", votes_for=5, votes_against=0, votes_abstain=0)
    c = client_for("secretary")
    data = {f"status_{p.pk}": "present" for p in cast.people[:9]}
    r = c.post(reverse("orglife:attendance", args=[cast.branch.pk, m.pk]), data, follow=True)
    html = r.content.decode()
    assert "不随出勤更正而改变" in html and "stale-vote" in html


def test_home_panel_says_scheduled_instead_of_register(cast, client_for, now):
    c = client_for("secretary")
    home = reverse("orgs:home", args=[cast.branch.pk])
    html = c.get(home).content.decode()
    panel = html[html.index('id="orglife-this-month"'):]
    committee = panel[panel.index('data-kind="committee_meeting"'):].split("</div>", 1)[0]
    assert "去登记" in committee
    meeting(cast, "committee_meeting", day=LATER)
    html = c.get(home).content.decode()
    panel = html[html.index('id="orglife-this-month"'):]
    committee = panel[panel.index('data-kind="committee_meeting"'):].split("</div>", 1)[0]
    assert "已安排 12月28日" in committee and "去登记" not in committee
    assert 'data-status="due"' in committee  # not met until it is held


def test_meeting_page_shows_the_plan_item_it_fulfils(cast, client_for, now):
    from zhibu.plans import services as plan_services

    m = meeting(cast, "party_congress", day=D(2026, 11, 20))
    plan = plan_services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    item = plan_services.add_item(actor=cast.secretary, plan=plan, months=[11], text="召开党员大会", kinds=["party_congress"])
    plan_services.link_record(actor=cast.secretary, item=item, record=m)
    html = client_for("secretary").get(reverse("orglife:meeting", args=[cast.branch.pk, m.pk])).content.decode()
    links = html[html.index('id="plan-links"'):].split("</td>", 1)[0]
    assert "召开党员大会" in links and reverse("plans:detail", args=[cast.branch.pk, plan.pk]) in links


def test_meeting_and_attendance_pages_query_counts_are_fixed(cast, client_for, now, django_assert_num_queries):
    """The meeting page (attendance, votes, leave requests, plan links) and the attendance list do not
    grow with what the meeting holds. Pinned: 12 for the meeting page (session, user, scope, the
    branch, the meeting, attendance, motions, attachments, config, plan items, the viewer's person,
    the unread count), 8 for the attendance list."""
    from zhibu.orgs.testing import PersonFactory

    m = meeting(cast, day=D(2026, 11, 20))
    mark(cast, m, {p: "present" for p in cast.people[:6]})
    services.add_motion(actor=cast.secretary, meeting=m, title="甲", votes_for=5, votes_against=0, votes_abstain=0)
    c = client_for("secretary")
    page = reverse("orglife:meeting", args=[cast.branch.pk, m.pk])
    attendance = reverse("orglife:attendance", args=[cast.branch.pk, m.pk])
    c.get(page), c.get(attendance)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert c.get(page).status_code == 200
    with CaptureQueriesContext(connection) as first_list:
        assert c.get(attendance).status_code == 200
    for i in range(6):
        PersonFactory(branch=cast.branch, name=f"新党员{i}")
    services.update_meeting(actor=cast.secretary, meeting=m, topic="测试会议(更正)")
    mark(cast, m, {p: "present" for p in cast.people[:8]})
    services.add_motion(actor=cast.secretary, meeting=m, title="乙", votes_for=7, votes_against=0, votes_abstain=0)
    services.add_motion(actor=cast.secretary, meeting=m, title="丙", votes_for=7, votes_against=0, votes_abstain=0)
    from zhibu.plans import services as plan_services

    plan = plan_services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    for month in (10, 11):
        item = plan_services.add_item(actor=cast.secretary, plan=plan, months=[month], text=f"{month}月党员大会",
                                      kinds=["party_congress"])
        plan_services.link_record(actor=cast.secretary, item=item, record=m)
    with django_assert_num_queries(len(first)):
        assert c.get(page).status_code == 200
    with django_assert_num_queries(len(first_list)):
        assert c.get(attendance).status_code == 200
    assert (len(first), len(first_list)) == (12, 8)


def test_talks_page_lists_the_years_talks(cast, client_for, now):
    services.record_heart_talk(actor=cast.secretary, branch=cast.branch, person_a=cast.people[0],
                               person_b=cast.people[5], date=D(2026, 11, 3), note="交流思想")
    html = client_for("secretary").get(reverse("orglife:talks", args=[cast.branch.pk]) + "?year=2026").content.decode()
    assert "王书记 — 孙党员" in html and "交流思想" in html
