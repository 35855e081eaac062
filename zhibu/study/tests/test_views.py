"""Study pages: sessions with non-member staff, hours, quotas, 学习强国 import, bad input, district."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.study.models import Attendee, Quota, Reflection, Session, XuexiMonth
from zhibu.study.tests.helpers import TODAY, session_post


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def _url(name, cast, **kw):
    return reverse(f"study:{name}", kwargs={"org_id": cast.branch.pk, **kw})


def test_a_staff_study_counts_non_members_as_present_and_hours_for_members(cast, client_for):
    c = client_for("secretary")
    staff = [p for p in cast.people if p.name in ("陈老师", "冯积极")]
    plain = cast.people[4]  # 钱党员: a member without a committee post
    r = c.post(_url("session_new", cast), session_post(cast, [plain, cast.secretary_person, *staff]))
    assert r.status_code == 302, r.content.decode()[:2000]
    s = Session.objects.get()
    assert s.credited == 2 and Attendee.objects.filter(session=s).count() == 4
    page = c.get(r["Location"]).content.decode()
    assert "非党员教职工 2 人" in page and "陈老师" in page
    hours = c.get(_url("hours", cast)).content.decode()
    assert 'data-person="钱党员"' in hours and "差30学时" in hours  # member: 32 − 2
    assert "差54学时" in hours  # the secretary: 56 − 2


def test_the_staff_audience_prechecks_everyone_on_the_roster(cast, client_for):
    page = client_for("secretary").get(_url("session_new", cast) + "?audience=staff").content.decode()
    assert page.count('name="attendees"') == len(cast.people)
    assert page.count("checked") >= len(cast.people)


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"hours": "-2"}, "0.5"),
        ({"hours": "99"}, "12"),
        ({"attendees": []}, "没有登记参学人员"),
        ({"date": "2026-07-01"}, "尚未发生"),
    ],
)
def test_bad_sessions_are_refused_in_chinese_and_write_nothing(cast, client_for, extra, message):
    r = client_for("secretary").post(_url("session_new", cast), session_post(cast, [cast.member_person], **extra))
    assert r.status_code == 400 and message in r.content.decode()
    assert not Session.objects.exists() and not AuditEntry.objects.filter(action="study.session").exists()


def test_someone_of_another_branch_cannot_be_an_attendee(cast, client_for):
    r = client_for("secretary").post(_url("session_new", cast), session_post(cast, [cast.outsider_person]))
    assert r.status_code == 400 and not Session.objects.exists()


def test_a_member_sees_only_their_own_hours(cast, client_for):
    c = client_for("member")
    assert c.get(_url("hours", cast))["Location"].endswith(_url("me", cast))
    page = c.get(_url("me", cast)).content.decode()
    assert "本年学时" in page and "还差 56 学时" in page and "王书记" not in page  # 张党员 is 宣传委员: 56


def test_a_reflection_counts_against_the_quota(cast, client_for):
    Quota.objects.create(branch=cast.branch, year=2026, kind="reflections", value=2)
    c = client_for("member")
    r = c.post(
        _url("me", cast),
        {
            "which": "reflection",
            "refl-date": "2026-06-14",
            "refl-title": "学习体会",
            "refl-text": "认真学习，深刻领会。",
            "refl-share": "on",
        },
    )
    assert r.status_code == 302
    assert Reflection.objects.get().chars == 10
    page = c.get(_url("me", cast)).content.decode()
    assert "还差 1 篇" in page
    short = client_for("secretary").get(_url("targets", cast)).content.decode()
    assert "张党员：还差 1 篇" in short and "李组织：还差 2 篇" in short


def test_a_reflection_can_be_an_upload(cast, client_for):
    pdf = SimpleUploadedFile("心得.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client_for("member").post(
        _url("me", cast), {"which": "reflection", "refl-date": "2026-06-14", "refl-title": "读书心得", "refl-file": pdf}
    )
    assert r.status_code == 302 and Reflection.objects.get().file is not None


def _xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "日期", "积分"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_xuexi_file_with_one_bad_row_is_refused_with_the_row_named(cast, client_for):
    data = _xlsx([["张党员", "2026-06-01", 35], ["查无此人", "2026-06-02", 30], ["李组织", "2026-06-02", 40]])
    r = client_for("secretary").post(_url("xuexi_import", cast), {"file": SimpleUploadedFile("积分.xlsx", data)})
    page = r.content.decode()
    assert r.status_code == 400 and "第3行" in page and "查无此人" in page
    assert not XuexiMonth.objects.exists()


def test_a_xuexi_csv_becomes_monthly_totals(cast, client_for):
    data = "姓名,日期,积分\n张党员,2026-06-01,35\n张党员,2026-06-02,30\n李组织,2026-05-02,40\n".encode()
    r = client_for("secretary").post(_url("xuexi_import", cast), {"file": SimpleUploadedFile("积分.csv", data)})
    assert r.status_code == 302
    assert XuexiMonth.objects.get(person=cast.member_person).points == 65


def test_a_xuexi_file_of_another_branch_is_refused(cast, client_for):
    data = "姓名,日期,积分\n育才甲,2026-06-01,35\n育才乙,2026-06-02,30\n".encode()
    r = client_for("secretary").post(_url("xuexi_import", cast), {"file": SimpleUploadedFile("积分.csv", data)})
    assert r.status_code == 400 and "其他支部" in r.content.decode() and not XuexiMonth.objects.exists()


def test_plan_targets_become_an_obligation_and_a_quota_in_one_click(cast, client_for):
    from zhibu.orglife import selectors as orglife
    from zhibu.plans.models import Plan

    Plan.objects.create(
        branch=cast.branch,
        year=2026,
        title="计划",
        source_text=(
            "阳光幼儿园党支部2026年工作计划\n一、工作目标\n1、每两周组织一次全体教职工政治学习。\n2、每人撰写2篇学习体会。\n"
        ),
    )
    c = client_for("secretary")
    page = c.get(_url("targets", cast)).content.decode()
    assert "每两周组织一次全体教职工政治学习" in page and "每人撰写2篇学习体会" in page
    assert c.post(_url("targets", cast), {"adopt": "1", "index": "0"}).status_code == 302
    assert c.post(_url("targets", cast), {"adopt": "1", "index": "1"}).status_code == 302
    assert Quota.objects.get().value == 2
    grid = orglife.branch_obligations(cast.branch, 2026, TODAY)
    row = [cells for ob, cells in grid.grid if ob.label == "每两周组织一次全体教职工政治学习"]
    assert row and len(row[0]) == 12 and row[0][0].status.status == "overdue"
    Session.objects.create(
        branch=cast.branch, date=dt.date(2026, 6, 3), hours=1, credited=1, category_id=1, topic="政治学习"
    )
    grid = orglife.branch_obligations(cast.branch, 2026, TODAY)
    june = [cells for ob, cells in grid.grid if ob.kind.startswith("study:")][0][5]
    assert june.status.status == "met"


def test_an_orglife_lecture_counts_as_study_without_entering_it_twice(cast, client_for):
    from zhibu.orglife.models import Attendance, AttendanceStatus, Meeting

    starts = dt.datetime(2026, 5, 20, 14, 0, tzinfo=dt.UTC)
    m = Meeting.objects.create(
        branch=cast.branch,
        kind="party_lecture",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        topic="廉政党课",
    )
    Attendance.objects.create(meeting=m, person=cast.member_person, status=AttendanceStatus.PRESENT)
    c = client_for("secretary")
    assert "廉政党课" in c.get(_url("index", cast)).content.decode()
    me = client_for("member").get(_url("me", cast)).content.decode()
    assert "党课、主题党日 2" in me
    r = c.post(_url("session_new", cast), session_post(cast, [cast.member_person], form="lecture", date="2026-05-20"))
    assert r.status_code == 400 and "无须重复录入" in r.content.decode()


def test_frail_members_are_marked_exempt_not_short(cast, client_for):
    c = client_for("secretary")
    assert c.post(_url("exempt", cast, person_id=cast.people[7].pk), {"reason": "年老体弱"}).status_code == 302
    page = c.get(_url("hours", cast)).content.decode()
    assert "免于考核（年老体弱）" in page


def test_external_training_counts_once_approved(cast, client_for):
    pdf = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    r = client_for("member").post(
        _url("training_new", cast),
        {
            "person": cast.member_person.pk,
            "date": "2026-05-01",
            "title": "党校轮训",
            "provider": "区委党校",
            "hours": "16",
            "certificate": pdf,
        },
    )
    assert r.status_code == 302
    c = client_for("secretary")
    assert "党校轮训" in c.get(_url("hours", cast)).content.decode()
    from zhibu.study.models import Training

    t = Training.objects.get()
    c.post(_url("training_decide", cast, training_id=t.pk), {"approve": "1"})
    assert "还差 40 学时" in client_for("member").get(_url("me", cast)).content.decode()


def test_absurd_training_hours_are_refused(cast, client_for):
    r = client_for("secretary").post(
        _url("training_new", cast),
        {"person": cast.member_person.pk, "date": "2026-05-01", "title": "党校", "provider": "党校", "hours": "5000"},
    )
    assert r.status_code == 400 and "200" in r.content.decode()


def test_documents_download(cast, client_for):
    c = client_for("secretary")
    staff = [p for p in cast.people if p.name == "陈老师"]
    c.post(_url("session_new", cast), session_post(cast, [cast.member_person, *staff]))
    r = c.get(_url("yearbook", cast) + "?year=2026")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from zhibu.core.documents import checks

    assert "陈老师" in checks.text_of(r.content)
    assert c.get(_url("bulletin", cast) + "?year=2026&quarter=2").status_code == 200
    assert c.get(_url("bulletin", cast) + "?year=2026&quarter=1").status_code != 200
    assert c.get(_url("hours_export", cast)).status_code == 200


def test_the_yearend_hook_writes_the_record_book_and_the_register(cast, client_for):
    from zhibu.study import yearend

    client_for("secretary").post(_url("session_new", cast), session_post(cast, [cast.member_person]))
    names = [n for n, _b in yearend.documents(cast.branch, 2026)]
    assert any("学习记录本" in n for n in names) and any("学时登记表" in n for n in names)


def test_the_district_sees_counts_per_branch_in_a_fixed_number_of_queries(cast, client_for):
    c = client_for("district_admin")
    url = reverse("study:district", kwargs={"org_id": cast.district.pk})
    c.get(url)
    with CaptureQueriesContext(connection) as q:
        page = c.get(url).content.decode()
    assert "阳光幼儿园党支部" in page and "张党员" not in page
    assert len(q) <= 20
    n = len(q)
    from zhibu.orgs.testing import PersonFactory

    for i in range(5):
        PersonFactory(branch=cast.other_branch, name=f"新党员{i}")
    with CaptureQueriesContext(connection) as q2:
        c.get(url)
    assert len(q2) == n


def test_a_member_care_flags_frail_is_exempt_too(cast, client_for, monkeypatch):
    import types

    hook = types.SimpleNamespace(exempt_people=lambda branch, on: {cast.people[5].pk: "失能/年老体弱"})
    monkeypatch.setattr("zhibu.study.selectors.app_modules", lambda name, **kw: [hook] if name == "exemptions" else [])
    page = client_for("secretary").get(_url("hours", cast)).content.decode()
    assert "免于考核（失能/年老体弱）" in page


def test_a_session_keeps_its_materials_and_photos(cast, client_for):
    png = SimpleUploadedFile("合影.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, content_type="image/png")
    data = session_post(cast, [cast.member_person], materials=[png], links="https://www.12371.cn/")
    c = client_for("secretary")
    r = c.post(_url("session_new", cast), data)
    assert r.status_code == 302
    s = Session.objects.get()
    assert s.files.count() == 1
    page = c.get(r["Location"]).content.decode()
    assert "合影.png" in page and "12371" in page
    bad = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    r = c.post(_url("session_new", cast), session_post(cast, [cast.member_person], topic="另一次", materials=[bad]))
    assert r.status_code == 400 and "只能上传" in r.content.decode() and Session.objects.count() == 1


def test_the_record_book_and_the_bulletin_pass_the_document_checks(cast, client_for):
    from zhibu.core.documents import OUTWARD, RECORD, checks

    c = client_for("secretary")
    c.post(_url("session_new", cast), session_post(cast, [cast.member_person]))
    book = c.get(_url("yearbook", cast) + "?year=2026").content
    assert checks.problems(book, kind=RECORD) == []
    bulletin = c.get(_url("bulletin", cast) + "?year=2026&quarter=2").content
    assert checks.problems(bulletin, kind=OUTWARD) == []


def test_a_non_member_with_an_account_sees_their_hours_without_a_target(cast, client_for):
    from zhibu.orgs.models import Role
    from zhibu.orgs.testing import UserFactory

    teacher = next(p for p in cast.people if p.name == "陈老师")
    user = UserFactory(username="teacher")
    Role.objects.create(user=user, organisation=cast.branch, role="member")
    teacher.user = user
    teacher.save(update_fields=["user"])
    client_for("secretary").post(_url("session_new", cast), session_post(cast, [teacher]))
    from django.test import Client

    c = Client()
    c.force_login(user)
    page = c.get(_url("me", cast)).content.decode()
    assert "集中学习 2" in page and "应达" not in page
