import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhibu.core import clock
from zhibu.orglife.models import HeartTalk, Meeting
from zhibu.orglifemeeting import rules, services
from zhibu.orglifemeeting.models import Cycle, Material, Opinion, Problem
from zhibu.orglifemeeting.tests.access_cases import make_cycle
from zhibu.orglifemeeting.tests.helpers import all_talks_but, committee, ready_cycle
from zhibu.rectify.models import Item

pytestmark = pytest.mark.django_db


def url(name, cycle=None, **kw):
    args = {"org_id": cycle.branch_id if cycle else kw.pop("org_id")}
    if cycle:
        args["cycle_id"] = cycle.pk
    return reverse(f"orglifemeeting:{name}", kwargs={**args, **kw})


def test_start_a_cycle_from_the_form(cast, client_for):
    c = client_for("secretary")
    year = clock.today().year
    r = c.post(
        url("new", org_id=cast.branch.pk),
        {
            "year": year,
            "term": 0,
            "topic": "强化党性修养",
            "planned_date": f"{year}-12-20",
            "notice_date": f"{year}-11-01",
            "notice_requirements": "会前谈心谈话全覆盖",
            "request_days": 10,
            "required_steps": ["talks", "request"],
            "readings": ["committee_pairs"],
        },
    )
    cycle = Cycle.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/{cycle.pk}/")
    assert cycle.request_days == 10 and cycle.required_steps == ["talks", "request"]
    page = c.get(r["Location"]).content.decode()
    assert "向上级请示" in page and "会前谈心谈话全覆盖" in page


def test_bad_cycle_input_is_a_chinese_form_error(cast, client_for):
    c = client_for("secretary")
    year = clock.today().year
    r = c.post(
        url("new", org_id=cast.branch.pk),
        {
            "year": year,
            "term": 1,
            "topic": "x",
            "planned_date": f"{year}-11-20",
            "request_days": 7,
            "readings": ["committee_pairs"],
        },
    )
    assert r.status_code == 200 and "计划召开日期须在所选年度" in r.content.decode()
    assert not Cycle.objects.exists()


def test_member_cannot_manage_but_can_give_an_opinion_and_write_own_analysis(cast, client_for):
    cycle = make_cycle(cast)
    member = client_for("member")
    assert member.get(url("cycle", cycle)).status_code in (403, 404)
    assert member.get(url("new", org_id=cast.branch.pk)).status_code in (403, 404)
    assert member.post(url("ready", cycle)).status_code in (403, 404)
    r = member.post(url("opinion", cycle), {"text": "希望多开展业务学习", "name": ""})
    assert r.status_code == 302 and Opinion.objects.get().author == cast.member
    own = url("material", cycle, kind="self_analysis")
    assert member.get(own).status_code == 200
    r = member.post(own, {"text": "我的党性分析"})
    assert r.status_code == 302
    assert Material.objects.get(kind="self_analysis").person == cast.member_person
    other = own + f"?person={cast.people[4].pk}"
    assert member.get(other).status_code in (403, 404)
    assert member.post(url("material", cycle, kind="committee"), {"text": "x"}).status_code in (403, 404)


def test_upload_from_a_phone(cast, client_for):
    cycle = make_cycle(cast)
    c = client_for("member")
    r = c.post(
        url("material", cycle, kind="self_analysis"),
        {"upload": SimpleUploadedFile("IMG_0001.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, content_type="image/jpeg")},
    )
    assert r.status_code == 302
    m = Material.objects.get()
    r = c.get(url("material_file", cycle, material_id=m.pk))
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    r = client_for("committee").get(url("material_file", cycle, material_id=m.pk))
    assert r.status_code == 200
    bad = c.post(
        url("material", cycle, kind="self_analysis"),
        {"upload": SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")},
    )
    assert bad.status_code == 200 and "只能上传" in bad.content.decode()


def test_coverage_page_lists_who_still_has_to_talk_to_whom_and_records_in_one_post(cast, client_for):
    cycle = make_cycle(cast)
    missing = all_talks_but(cast, skip=2)
    c = client_for("secretary")
    page = c.get(url("talks", cycle)).content.decode()
    assert '<span id="missing-count">2</span>' in page
    for a, b in missing:
        assert a.name in page and b.name in page
    a, b = missing[0]
    r = c.post(
        url("talks", cycle),
        {"person_a": a.pk, "person_b": b.pk, "date": clock.today().isoformat(), "topic": "工作交流"},
    )
    assert r.status_code == 302
    assert HeartTalk.objects.filter(note="工作交流").count() == 1
    assert '<span id="missing-count">1</span>' in c.get(url("talks", cycle)).content.decode()


def test_talk_bad_input(cast, client_for):
    cycle = make_cycle(cast)
    c = client_for("secretary")
    p = committee(cast)[0]
    n = HeartTalk.objects.count()
    r = c.post(url("talks", cycle), {"person_a": p.pk, "person_b": p.pk, "date": clock.today().isoformat()})
    assert r.status_code == 200 and "两个人" in r.content.decode()
    future = (clock.today() + dt.timedelta(days=3)).isoformat()
    r = c.post(url("talks", cycle), {"person_a": p.pk, "person_b": cast.people[5].pk, "date": future})
    assert r.status_code == 200 and "不能晚于今天" in r.content.decode()
    r = c.post(
        url("talks", cycle), {"person_a": p.pk, "person_b": cast.outsider_person.pk, "date": clock.today().isoformat()}
    )
    assert r.status_code == 200
    assert HeartTalk.objects.count() == n
    assert client_for("auditor").post(url("talks", cycle), {}).status_code == 403


def test_ready_refused_with_the_open_steps_named(cast, client_for):
    cycle = make_cycle(cast)
    c = client_for("secretary")
    r = c.post(url("ready", cycle), follow=True)
    assert "尚未完成" in r.content.decode() and "谈心谈话" in r.content.decode()
    cycle.refresh_from_db()
    assert cycle.ready_at is None


def test_step_form(cast, client_for):
    cycle = make_cycle(cast)
    c = client_for("secretary")
    r = c.post(
        url("step", cycle, code="request"),
        {
            "owner": cast.committee_person.pk,
            "due": cycle.request_due.isoformat(),
            "done_on": clock.today().isoformat(),
            "note": "已报区教育局党委",
        },
    )
    assert r.status_code == 302
    assert cycle.steps.get(code="request").done_on == clock.today()
    assert c.get(url("step", cycle, code="talks")).status_code == 200
    assert c.get(url("step", cycle, code="nonsense")).status_code == 404


def test_record_the_meeting_notes_problems_and_report(cast, client_for):
    cycle = ready_cycle(cast)
    c = client_for("secretary")
    day = clock.today() - dt.timedelta(days=1)
    r = c.post(
        url("meeting", cycle),
        {
            "format": "party_congress",
            "date": day.isoformat(),
            "start": "15:00",
            "end": "17:00",
            "place": "党员活动室",
            "host": cast.secretary_person.pk,
            "upper_attendee": "区委组织部张部长",
            "secretary_report": "一年来支部……",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    cycle.refresh_from_db()
    assert cycle.meeting.kind == "org_life_meeting" and cycle.meeting.date == day
    r = c.post(
        url("note", cycle, person_id=cast.member_person.pk),
        {"self_criticism": "学习不够深入", "criticism": "多联系群众"},
    )
    assert r.status_code == 302
    later = (clock.today() + dt.timedelta(days=60)).isoformat()
    for text in ("理论学习不够系统", "联系群众不够深入"):
        r = c.post(
            url("problem_new", cycle),
            {
                "problem": text,
                "measures": "制定计划",
                "kind": "deadline",
                "deadline": later,
                "responsible": cast.member_person.pk,
            },
        )
        assert r.status_code == 302
    r = c.post(url("raise", cycle), follow=True)
    assert "已转为2项整改事项" in r.content.decode()
    assert Item.objects.filter(source__code="org_life_meeting").count() == 2
    assert Problem.objects.filter(item__isnull=True).count() == 0
    r = c.get(url("report", cycle))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "区委组织部张部长" in text
    page = c.get(url("cycle", cycle)).content.decode()
    assert "学习不够深入" in page and "已列入" in page


def test_meeting_refused_before_ready_writes_nothing(cast, client_for):
    cycle = make_cycle(cast)
    c = client_for("secretary")
    n = Meeting.objects.count()
    day = clock.today() - dt.timedelta(days=1)
    r = c.post(
        url("meeting", cycle), {"format": "party_congress", "date": day.isoformat(), "start": "15:00", "end": "17:00"}
    )
    assert r.status_code == 200 and "尚未就绪" in r.content.decode()
    assert Meeting.objects.count() == n


def test_other_branch_cycle_is_not_found(cast, client_for):
    cycle = make_cycle(cast)
    other = reverse("orglifemeeting:cycle", kwargs={"org_id": cast.other_branch.pk, "cycle_id": cycle.pk})
    assert client_for("district_admin").get(other).status_code == 404
    assert client_for("outsider").get(url("cycle", cycle)).status_code in (403, 404)


def test_detail_query_count_is_pinned(cast, client_for, django_assert_max_num_queries):
    cycle = ready_cycle(cast)
    services.add_opinion(actor=cast.member, cycle=cycle, text="意见")
    c = client_for("secretary")
    c.get(url("cycle", cycle))
    with django_assert_max_num_queries(25):
        assert c.get(url("cycle", cycle)).status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get(url("talks", cycle)).status_code == 200


def test_reminders_before_the_meeting(cast):
    from zhibu.orglifemeeting import reminders

    today = clock.today()
    cycle = make_cycle(cast, planned=today + dt.timedelta(days=10), request_days=9)
    all_talks_but(cast, skip=2)
    out = list(reminders.collect(today))
    keys = {r.key for r in out}
    assert f"orglifemeeting:talks:cycle={cycle.pk}:14" in keys
    assert f"orglifemeeting:request:cycle={cycle.pk}" in keys
    talk_reminder = next(r for r in out if "talks" in r.key)
    assert "尚有2项谈心谈话" in talk_reminder.title
    services.update_step(actor=cast.secretary, cycle=cycle, code=rules.REQUEST, done_on=today)
    assert not any("request" in r.key for r in reminders.collect(today))


def test_study_sessions_before_the_meeting_show_under_the_checklist(cast, client_for):
    from zhibu.study import services as study_services
    from zhibu.study.models import Category

    with clock.frozen(dt.date(2026, 11, 20)):
        cycle = make_cycle(cast, planned=dt.date(2026, 12, 10))
        page = client_for("secretary").get(url("cycle", cycle)).content.decode()
        assert 'id="study-records"' not in page
        study_services.create_session(
            actor=cast.secretary, branch=cast.branch, date=dt.date(2026, 11, 18), length="hours", hours=2,
            form="central", category=Category.objects.get(code="theory"), topic="会前集中学习党章",
            audience="members", attendee_ids=[p.pk for p in cast.people[:3]])
        page = client_for("secretary").get(url("cycle", cycle)).content.decode()
        assert "会前集中学习党章" in page[page.index('id="study-records"'):]
