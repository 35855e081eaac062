import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.integrity import services, yearend
from zhibu.integrity.models import Commitment, Decision
from zhibu.integrity.tests.helpers import TODAY, held_meeting
from zhibu.orgs.testing import home_html


def _issue(cast):
    with clock.frozen(TODAY):
        services.issue_commitments(actor=cast.secretary, branch=cast.branch, year=2026, text="我承诺廉洁从教")
    return Commitment.objects.get(person=cast.member_person)


def test_a_member_is_sent_to_their_own_page_and_signs_there(cast, client_for):
    c = _issue(cast)
    member = client_for("member")
    with clock.frozen(TODAY):
        r = member.get(reverse("integrity:index", args=[cast.branch.pk]))
        assert r.status_code == 302 and r["Location"].endswith("/integrity/mine/")
        page = member.get(reverse("integrity:mine", args=[cast.branch.pk])).content.decode()
        assert "2026年师德承诺书" in page and "待签署" in page
        home = home_html(member, cast.branch)
        assert "待确认" in home
        r = member.post(reverse("integrity:commitment_sign", args=[cast.branch.pk, c.pk]))
        assert r.status_code == 302
    c.refresh_from_db()
    assert c.signed_at is not None


def test_someone_else_cannot_sign_or_read_a_members_commitment(cast, client_for):
    c = _issue(cast)
    other = Commitment.objects.get(person=cast.people[4])
    member = client_for("member")
    assert member.get(reverse("integrity:commitment", args=[cast.branch.pk, other.pk])).status_code == 403
    assert member.post(reverse("integrity:commitment_sign", args=[cast.branch.pk, other.pk])).status_code == 403
    secretary = client_for("secretary")
    assert secretary.get(reverse("integrity:commitment", args=[cast.branch.pk, c.pk])).status_code == 200
    assert secretary.post(reverse("integrity:commitment_sign", args=[cast.branch.pk, c.pk])).status_code == 403
    assert not AuditEntry.objects.filter(action="integrity.commitment_sign").exists()


def test_the_register_page_shows_lists_violations_and_decisions(cast, client_for):
    meeting = held_meeting(cast)
    secretary = client_for("secretary")
    with clock.frozen(TODAY):
        r = secretary.post(reverse("integrity:decision_new", args=[cast.branch.pk]), {
            "category": "funds", "item": "购置教学设备", "meeting": meeting.pk, "votes_for": 7,
            "votes_against": 1, "votes_abstain": 0})
        assert r.status_code == 302, r.content.decode()[:2000]
        r = secretary.post(reverse("integrity:decision_new", args=[cast.branch.pk]), {
            "category": "funds", "item": "另一事项", "meeting": meeting.pk, "votes_for": 9,
            "votes_against": 0, "votes_abstain": 0})
        assert r.status_code == 400 and "不能超过" in r.content.decode()
        r = secretary.post(reverse("integrity:violation_new", args=[cast.branch.pk]), {
            "person": cast.people[4].pk, "date": "2026-05-01", "description": "收受家长礼品", "veto": "on"})
        assert r.status_code == 302
        page = secretary.get(reverse("integrity:index", args=[cast.branch.pk])).content.decode()
    assert "购置教学设备" in page and "收受家长礼品" in page and Decision.objects.count() == 1


def test_the_ledger_and_the_yearend_hook_give_the_same_workbook(cast, client_for):
    _issue(cast)
    with clock.frozen(TODAY):
        r = client_for("secretary").get(reverse("integrity:ledger", args=[cast.branch.pk]) + "?year=2026")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["廉政责任清单", "师德承诺", "师德失范", "三重一大"]
    docs = yearend.documents(cast.branch, 2026)
    assert [name for name, _ in docs] == ["阳光幼儿园党支部2026年廉政与师德台账.xlsx"]
    assert load_workbook(io.BytesIO(docs[0][1])).sheetnames == wb.sheetnames


def test_the_district_sees_counts_not_names(cast, client_for):
    _issue(cast)
    with clock.frozen(TODAY):
        page = client_for("district_admin").get(
            reverse("integrity:district", args=[cast.district.pk]) + "?year=2026").content.decode()
    assert "阳光幼儿园党支部" in page and "0 / 11" in page and "张党员" not in page


def test_a_duty_list_is_checked_only_from_december(cast, client_for):
    with clock.frozen(TODAY):
        duty = services.create_duty_list(actor=cast.secretary, branch=cast.branch, year=2026,
                                         person=cast.member_person, role_title="教研组长", duties="廉洁从教")
        services.sign_duty_list(actor=cast.member, duty=duty)
        page = client_for("secretary").get(reverse("integrity:duty", args=[cast.branch.pk, duty.pk])).content.decode()
        assert "2026年12月1日起" in page
    with clock.frozen(dt.date(2026, 12, 2)):
        r = client_for("district_admin").post(reverse("integrity:duty_check", args=[cast.branch.pk, duty.pk]),
                                              {"result": "fulfilled"})
        assert r.status_code == 302
        assert client_for("member").post(reverse("integrity:duty_check", args=[cast.branch.pk, duty.pk]),
                                         {"result": "fulfilled"}).status_code == 403
    duty.refresh_from_db()
    assert duty.check_result == "fulfilled"
