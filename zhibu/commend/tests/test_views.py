import datetime as dt
import re

from django.urls import reverse

from zhibu.commend import rules, services
from zhibu.commend.tests.helpers import TODAY, add_workdays, open_round
from zhibu.core import clock
from zhibu.core.documents import OUTWARD
from zhibu.core.documents.checks import problems, text_of
from zhibu.integrity import services as integrity


def _points_on(cast):
    with clock.frozen(TODAY):
        services.save_points_scheme(actor=cast.district_admin, org=cast.district, enabled=True, base=60)
        rule = services.add_points_rule(actor=cast.district_admin, org=cast.district, name="志愿服务",
                                        source=rules.MANUAL, points=5)
        for i, person in enumerate(cast.people[:6]):
            for _ in range(i):  # different totals per person
                services.add_points_entry(actor=cast.secretary, person=person, branch=cast.branch, rule=rule,
                                          date=dt.date(2026, 5, 1), evidence="社区志愿服务")
    return rule


def test_points_are_never_a_ranking(cast, client_for):
    """rules2.md §5: no 积分排名. The people list is by name and shows no points, whatever the query
    string asks; points appear on one person's page, for that person and the committee only."""
    _points_on(cast)
    secretary = client_for("secretary")
    with clock.frozen(TODAY):
        for query in ("", "?sort=points", "?order=-points", "?o=score"):
            page = secretary.get(reverse("commend:people", args=[cast.branch.pk]) + query).content.decode()
            names = re.findall(r'/commend/people/\d+/">([^<]+)</a>', page)
            assert names == sorted(names) and len(names) == len(cast.people)
            listed = re.sub(r"<[^>]+>", " ", page.split('id="people">')[1].split("</ul>")[0])
            assert not re.search(r"\d", listed)  # no figure at all next to the names
        own = client_for("member").get(reverse("commend:person", args=[cast.branch.pk, cast.member_person.pk]))
        assert "合计 70 分" in own.content.decode()  # 60 + 2 × 5
        committee = secretary.get(reverse("commend:person", args=[cast.branch.pk, cast.member_person.pk]))
        assert "合计 70 分" in committee.content.decode()
        district = client_for("district_admin").get(
            reverse("commend:person", args=[cast.branch.pk, cast.member_person.pk]))
        assert district.status_code == 200 and "合计" not in district.content.decode()
        other = cast.people[4]
        assert client_for("member").get(reverse("commend:person", args=[cast.branch.pk, other.pk])).status_code == 403
    from zhibu.commend import selectors

    assert not any("points" in name or "rank" in name for name in dir(selectors) if name.startswith("order"))


def test_a_member_records_and_evidence_are_kept_by_the_committee(cast, client_for):
    rule = _points_on(cast)
    secretary = client_for("secretary")
    url = reverse("commend:points_entry", args=[cast.branch.pk, cast.member_person.pk])
    with clock.frozen(TODAY):
        r = secretary.post(url, {"rule": rule.pk, "date": "2026-06-01", "evidence": ""})
        assert r.status_code == 302
        assert client_for("member").post(url, {"rule": rule.pk, "date": "2026-06-01", "evidence": "x"}).status_code == 403


def test_the_district_journey_by_the_pages(cast, client_for):
    admin = client_for("district_admin")
    secretary = client_for("secretary")
    with clock.frozen(TODAY):
        r = admin.post(reverse("commend:round_new", args=[cast.district.pk]), {
            "year": 2026, "title": "2026年度“两优一先”评选表彰", "opens_on": "2026-06-01", "closes_on": "2026-06-20",
            "quota_kind": "fixed", "quota_member": 2, "quota_worker": 0, "quota_org": 1,
            "approval_ref": "示教党〔2026〕5号", "publicity_days": 5})
        assert r.status_code == 302
        from zhibu.commend.models import Round

        rnd = Round.objects.get()
        integrity.record_violation(actor=cast.secretary, branch=cast.branch, person=cast.people[4],
                                   date=dt.date(2026, 3, 2), description="违规有偿补课")
        page = secretary.get(reverse("commend:round", args=[cast.branch.pk, rnd.pk])).content.decode()
        assert "钱党员：师德失范一票否决" in page
        url = reverse("commend:nominate", args=[cast.branch.pk, rnd.pk])
        r = secretary.post(url, {"award_type": "member", "person": cast.people[4].pk, "reason": "成绩突出"}, follow=True)
        assert "不能推荐：师德失范一票否决" in r.content.decode()
        secretary.post(url, {"award_type": "member", "person": cast.people[3].pk, "reason": "成绩突出"})
        from zhibu.commend.models import Nomination

        n = Nomination.objects.get()
        r = admin.post(reverse("commend:decide", args=[cast.district.pk, n.pk]), {"result": "award"})
        assert r.status_code == 302
        assert secretary.post(reverse("commend:decide", args=[cast.branch.pk, n.pk]), {"result": "reject"}).status_code == 403
        docx = secretary.get(reverse("commend:publicity_docx", args=[cast.branch.pk, rnd.pk]))
        assert docx.status_code == 409 and "尚未公示" in docx.content.decode()
        r = admin.post(reverse("commend:publicise", args=[cast.district.pk, rnd.pk]), {"start": "2026-06-22", "days": 5})
        assert r.status_code == 302
    with clock.frozen(dt.date(2026, 6, 23)):
        docx = client_for("member").get(reverse("commend:publicity_docx", args=[cast.branch.pk, rnd.pk]))
        assert docx.status_code == 200
        text = text_of(docx.content)
        assert "赵党员" in text and "2026年6月22日至2026年6月26日（5个工作日）" in text and "示教党〔2026〕5号" in text
        assert problems(docx.content, kind=OUTWARD) == []
        seen = client_for("member").get(reverse("commend:round", args=[cast.branch.pk, rnd.pk])).content.decode()
        assert 'id="awarded"' in seen and 'id="nominations"' not in seen  # results only, not the nominations
        record = client_for("secretary").get(reverse("commend:person", args=[cast.branch.pk, cast.people[3].pk]))
        assert "2026年 · 优秀共产党员" in record.content.decode()


def test_review_grades_are_read_defensively(cast):
    from zhibu.commend import selectors

    assert selectors.review_grades(cast.branch, 2026) == {}


def test_publicise_on_a_round_with_nothing_awarded_is_a_form_error(cast, client_for):
    rnd = open_round(cast)
    with clock.frozen(TODAY):
        r = client_for("district_admin").post(reverse("commend:publicise", args=[cast.district.pk, rnd.pk]),
                                              {"start": "2026-06-22", "days": 5})
    assert r.status_code == 400 and "没有拟表彰" in r.content.decode()
    assert add_workdays(dt.date(2026, 6, 21), 1) == dt.date(2026, 6, 22)
