"""Pages: the branch's term and checklist, the forms through the services, documents, the district,
bad input, access beyond the generic walk, pinned query counts, panels, reminders, yearend, demo."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, RECORD
from zhibu.core.documents.checks import problems, text_of
from zhibu.core.models import AuditEntry
from zhibu.elections import documents, reminders, rules, selectors, services, yearend
from zhibu.elections.models import Election, Round
from zhibu.elections.tests.helpers import TODAY, candidate, start, to_meeting, votes
from zhibu.elections.tests.test_services import finish
from zhibu.orgs.testing import home_html


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def url(name, *args):
    return reverse(f"elections:{name}", args=args)


def test_branch_page_shows_the_term_and_starts_an_election(cast, client_for):
    c = client_for("secretary")
    page = c.get(url("index", cast.branch.pk)).content.decode()
    assert "2028年9月1日" in page and "半年内到期" in page
    r = c.post(url("new", cast.branch.pk), {"seats": "3", "planned_date": "2028-08-30", "nomination_method": ""})
    election = Election.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/elections/{election.pk}/#checklist")
    detail = c.get(url("detail", cast.branch.pk, election.pk)).content.decode()
    assert "支委会研究启动换届" in detail and "逾期" in detail  # decide was due 2028-07-01


def test_steps_forms_go_through_the_services(cast, client_for):
    c = client_for("secretary")
    election = start(cast)
    r = c.post(url("step", cast.branch.pk, election.pk, "request"), {"on": "2028-08-01"})
    assert r.status_code == 200 and "请先完成" in r.content.decode()
    r = c.post(url("step", cast.branch.pk, election.pk, "decide"), {"on": "2028-07-01"})
    assert r.status_code == 302
    r = c.post(url("step", cast.branch.pk, election.pk, "request"), {"on": "2028-06-01"})
    assert "日期不能早于" in r.content.decode()
    assert c.get(url("step", cast.branch.pk, election.pk, "nope")).status_code == 404


def test_a_member_sees_the_term_but_not_the_record(cast, client_for):
    election = start(cast)
    c = client_for("member")
    assert c.get(url("index", cast.branch.pk)).status_code == 200
    assert c.get(url("detail", cast.branch.pk, election.pk)).status_code == 403
    assert c.post(url("step", cast.branch.pk, election.pk, "decide"), {"on": "2028-07-01"}).status_code == 403


def test_only_the_secretary_or_district_reschedules(cast, client_for):
    assert client_for("committee").get(url("reschedule", cast.branch.pk)).status_code == 403
    r = client_for("secretary").post(
        url("reschedule", cast.branch.pk),
        {
            "kind": "postpone",
            "to_end": "2030-01-01",
            "approved_on": "2028-08-01",
            "approval_ref": "批复",
            "reason": "学校撤并",
        },
    )
    assert r.status_code == 200 and "不超过1年" in r.content.decode()
    assert not AuditEntry.objects.filter(action="elections.reschedule").exists()


def test_round_form_and_void_message(cast, client_for):
    election = to_meeting(cast, start(cast))
    c = client_for("secretary")
    page = c.get(url("round", cast.branch.pk, election.pk)).content.decode()
    assert (
        page.index("王书记") < page.index("李组织") < page.index("张党员") < page.index("赵党员") < page.index("钱党员")
    )
    data = {"present": "6", "issued": "6", "returned": "6", "invalid": "0"}
    data.update(
        {f"votes_{k}": str(v) for k, v in votes(election, 王书记=6, 李组织=6, 张党员=6, 赵党员=0, 钱党员=0).items()}
    )
    r = c.post(url("round", cast.branch.pk, election.pk), data, follow=True)
    assert "本轮选举无效" in r.content.decode() and Round.objects.count() == 1
    data["votes_999"] = "1"
    data["present"] = "999999"
    r = c.post(url("round", cast.branch.pk, election.pk), data)
    assert r.status_code == 200 and Round.objects.count() == 1


def test_documents_pass_the_checks_and_list_candidates_in_stroke_order(cast, client_for):
    election = to_meeting(cast, start(cast))
    c = client_for("secretary")
    refused = c.get(url("document", cast.branch.pk, election.pk, "report"))
    assert refused.status_code == 409
    finish(cast, election)
    election.refresh_from_db()
    for kind in documents.KINDS:
        r = c.get(url("document", cast.branch.pk, election.pk, kind))
        assert r.status_code == 200, kind
        kind_layout = RECORD if kind in ("ballot", "tally") else OUTWARD
        assert problems(r.content, kind=kind_layout) == [], kind
    ballot = docx.Document(io.BytesIO(c.get(url("document", cast.branch.pk, election.pk, "ballot")).content))
    names = [row.cells[0].text for row in ballot.tables[0].rows[1:-1]]
    assert names == rules.by_strokes(names) == ["王书记", "李组织", "张党员", "赵党员", "钱党员"]
    report = text_of(c.get(url("document", cast.branch.pk, election.pk, "report")).content)
    assert "王书记" in report and "书记" in report and "示范区教育局党委" in report
    assert "2028年8月25日" in text_of(c.get(url("document", cast.branch.pk, election.pk, "tally")).content)


def test_district_page_queries_are_pinned(cast, client_for, django_assert_max_num_queries):
    c = client_for("district_admin")
    with django_assert_max_num_queries(20):
        page = c.get(url("district", cast.district.pk)).content.decode()
    assert 'data-state="due"' in page and "半年内到期" in page
    assert c.get(url("district", cast.district.pk), {"show": "overdue"}).status_code == 200
    assert c.get(url("district", cast.branch.pk))["Location"] == url("index", cast.branch.pk)
    assert client_for("secretary").get(url("district", cast.district.pk)).status_code in (403, 404)


def test_district_query_count_does_not_grow_with_branches(cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhibu.orgs.models import CommitteePosition, OrgKind
    from zhibu.orgs.testing import PersonFactory, make_org

    c = client_for("district_admin")
    c.get(url("district", cast.district.pk))
    with CaptureQueriesContext(connection) as small:
        c.get(url("district", cast.district.pk))
    for i in range(15):
        b = make_org(f"支部{i}", OrgKind.BRANCH, cast.district)
        p = PersonFactory(branch=b)
        CommitteePosition.objects.create(
            branch=b, person=p, position="secretary", term_start=dt.date(2025, 1, 1), term_end=dt.date(2028, 1, 1)
        )
    with CaptureQueriesContext(connection) as big:
        page = c.get(url("district", cast.district.pk)).content.decode()
    assert len(big.captured_queries) == len(small.captured_queries) <= 20
    assert page.count('data-state="overdue"') == 15


def test_panels(cast, client_for):
    home = home_html(client_for("secretary"), cast.branch)
    assert "elections-panel" in home and "启动换届" in home
    district = home_html(client_for("district_admin"), cast.district)
    assert "半年内到期 1 个" in district


def test_the_branch_panel_is_one_query_and_links_the_open_election(cast, rf, django_assert_num_queries):
    from zhibu.elections import panels
    from zhibu.orgs import access

    election = start(cast)
    request = rf.get("/")
    request.user = cast.secretary
    access.get_scope(request)
    with django_assert_num_queries(1):
        html = panels.branch_panel(request, cast.branch)
    assert url("detail", cast.branch.pk, election.pk) in html
    admin = rf.get("/")
    admin.user = cast.district_admin
    access.get_scope(admin)
    with django_assert_num_queries(1):
        assert "半年内到期 1 个" in panels.district_panel(admin, cast.district)


def test_reminders_once_per_term_and_stage(cast):
    assert list(reminders.collect(dt.date(2028, 6, 1))) == []
    keys = [r.key for r in reminders.collect(dt.date(2028, 7, 2))]
    assert keys == [f"elections:start:branch={cast.branch.pk}:end=2028-09-01"]
    election = start(cast)
    services.record_step(actor=cast.secretary, election=election, code="decide", on=dt.date(2028, 7, 2))
    assert [r.key for r in reminders.collect(dt.date(2028, 8, 2))] == [
        f"elections:request:branch={cast.branch.pk}:end=2028-09-01"
    ]
    assert [r.key.split(":")[1] for r in reminders.collect(dt.date(2028, 9, 2))] == ["overdue"]


def test_yearend_documents(cast):
    election = finish(cast, to_meeting(cast, start(cast)))
    files = yearend.documents(cast.branch, 2028)
    assert [name for name, _ in files] == [
        "2028年阳光幼儿园党支部选举办法.docx",
        "2028年阳光幼儿园党支部计票结果.docx",
        "2028年阳光幼儿园党支部关于换届选举结果的报告.docx",
    ]
    for _name, content in files:
        assert "阳光幼儿园" in text_of(content)
    assert yearend.documents(cast.branch, 2027) == []
    assert election.installed_on == TODAY


def test_the_district_no_longer_sees_the_branch_due_once_installed(cast):
    finish(cast, to_meeting(cast, start(cast)))
    row = next(r for r in selectors.district_terms(cast.district, TODAY) if r.branch == cast.branch)
    assert row.state == "ok" and row.term_end == dt.date(2031, 8, 25) and row.election is None


def test_posts_form_requires_every_elected_member(cast, client_for):
    election = to_meeting(cast, start(cast))
    services.record_round(
        actor=cast.secretary,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 王书记=8, 李组织=7, 张党员=6, 赵党员=3, 钱党员=2),
    )
    c = client_for("secretary")
    r = c.post(
        url("posts", cast.branch.pk, election.pk),
        {"on": "2028-08-25", f"post_{candidate(election, '王书记').pk}": "secretary"},
    )
    assert r.status_code == 200 and election.candidates.exclude(post="").count() == 0
