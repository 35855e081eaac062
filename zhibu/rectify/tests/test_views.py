import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core.clock import frozen
from zhibu.core.models import AuditEntry
from zhibu.orgs.testing import PersonFactory, make_org
from zhibu.orgs.models import OrgKind
from zhibu.rectify import exports, rules, services
from zhibu.rectify.models import Item, Source
from zhibu.rectify.tests.helpers import raise_one

TODAY = dt.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _today():
    with frozen(TODAY):
        yield


def _url(name, cast, **kw):
    return reverse(f"rectify:{name}", kwargs={"org_id": cast.branch.pk, **kw})


def test_the_lists_show_overdue_items_first(cast, client_for):
    later = raise_one(cast, problem="按时的问题", deadline=dt.date(2026, 6, 30))
    late = raise_one(cast, problem="超期的问题", deadline=dt.date(2026, 4, 10))
    c = client_for("secretary")
    for name in ("index", "tasks", "effects", "people"):
        assert c.get(_url(name, cast)).status_code == 200
    html = c.get(_url("index", cast)).content.decode()
    assert html.index("超期的问题") < html.index("按时的问题") and "已超期" in html
    assert html.index(f'data-id="{late.pk}"') < html.index(f'data-id="{later.pk}"')
    people = c.get(_url("people", cast)).content.decode()
    assert cast.member_person.name in people and "超期 1 项" in people


def test_new_item_form_refuses_a_deadline_before_the_date(cast, client_for):
    c = client_for("secretary")
    source = Source.objects.get(code="self_check")
    r = c.post(
        _url("item_new", cast),
        {
            "source": source.pk,
            "raised_on": "2026-04-01",
            "problem": "问题",
            "kind": "deadline",
            "deadline": "2026-03-01",
        },
    )
    assert r.status_code == 400 and "早于问题登记日期" in r.content.decode()
    r = c.post(
        _url("item_new", cast),
        {"source": "99999", "raised_on": "2026-04-01", "problem": "问题", "kind": "deadline", "deadline": "2026-05-01"},
    )
    assert r.status_code == 400 and "选择" in r.content.decode()
    assert not Item.objects.exists() and not AuditEntry.objects.filter(action__startswith="rectify").exists()
    r = c.post(
        _url("item_new", cast),
        {
            "source": source.pk,
            "raised_on": "2026-04-01",
            "problem": "问题",
            "kind": "deadline",
            "deadline": "2026-05-01",
            "responsible": cast.member_person.pk,
        },
    )
    assert r.status_code == 302 and Item.objects.get().responsible == cast.member_person


def test_close_without_evidence_is_refused_with_a_message(cast, client_for):
    item = raise_one(cast)
    c = client_for("secretary")
    r = c.post(_url("item_submit", cast, item_id=item.pk), {"evidence": ""}, follow=True)
    assert "没有整改佐证材料" in r.content.decode()
    item.refresh_from_db()
    assert item.status == rules.OPEN


def test_the_whole_lifecycle_through_the_pages(cast, client_for):
    item = raise_one(cast)
    sec, district = client_for("secretary"), client_for("district_admin")
    png = SimpleUploadedFile("佐证.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, content_type="image/png")
    sec.post(_url("item_submit", cast, item_id=item.pk), {"evidence": "已补齐", "file": png})
    item.refresh_from_db()
    assert item.status == rules.SUBMITTED and item.files.count() == 1
    # the default closer is the upper committee: the secretary may not 销号
    assert sec.post(_url("item_close", cast, item_id=item.pk)).status_code == 403
    d = district.get(reverse("rectify:district", kwargs={"org_id": cast.district.pk})).content.decode()
    assert "待本级销号审核（1）" in d
    assert district.post(_url("item_close", cast, item_id=item.pk)).status_code == 302
    item.refresh_from_db()
    assert item.status == rules.CLOSED
    # a closed item cannot be edited
    r = sec.get(_url("item_edit", cast, item_id=item.pk), follow=True)
    assert "不能修改" in r.content.decode()
    assert (
        district.post(_url("item_review", cast, item_id=item.pk), {"result": "reopen", "note": "反弹"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == rules.IN_PROGRESS and item.reopened == 1
    f = item.files.get()
    assert sec.get(_url("evidence_file", cast, file_id=f.pk)).status_code == 200


def test_the_branch_secretary_closes_where_the_district_says_so(cast, client_for):
    cast.district.settings = {"rectify_closer": "branch"}
    cast.district.save()
    item = raise_one(cast)
    services.submit(actor=cast.secretary, item=item, evidence="已整改")
    assert client_for("district_admin").post(_url("item_close", cast, item_id=item.pk)).status_code == 403
    assert client_for("secretary").post(_url("item_close", cast, item_id=item.pk)).status_code == 302
    item.refresh_from_db()
    assert item.status == rules.CLOSED


def test_another_branchs_item_is_not_found(cast, client_for):
    other = services.raise_item(
        actor=cast.district_admin,
        branch=cast.other_branch,
        source="self_check",
        problem="别的支部",
        kind="ongoing",
        raised_on=dt.date(2026, 4, 1),
    )
    c = client_for("secretary")
    for name in ("item", "item_edit"):
        assert c.get(_url(name, cast, item_id=other.pk)).status_code == 404
    assert c.post(_url("item_note", cast, item_id=other.pk), {"text": "写入"}).status_code == 404
    assert not other.notes.exists()


def test_export_then_import_the_same_sheet_all_or_nothing(cast, client_for):
    raise_one(cast, problem="第一个问题")
    raise_one(cast, problem="第二个问题", source="巡察", raised_by_org=cast.district)
    c = client_for("secretary")
    r = c.get(_url("export", cast))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [cell.value for cell in ws[1]][: len(exports.HEADERS)] == exports.HEADERS
    # the same sheet imports as new items
    upload = SimpleUploadedFile("台账.xlsx", r.content)
    r = c.post(_url("import", cast), {"file": upload})
    assert r.status_code == 200 and Item.objects.count() == 4
    # one bad row: nothing written
    ws.cell(row=3, column=2, value="外星来信")
    buf = io.BytesIO()
    ws.parent.save(buf)
    r = c.post(_url("import", cast), {"file": SimpleUploadedFile("台账.xlsx", buf.getvalue())})
    assert r.status_code == 400 and "未知的问题来源" in r.content.decode() and Item.objects.count() == 4


def test_district_raises_a_finding_for_a_branch(cast, client_for):
    c = client_for("district_admin")
    url = reverse("rectify:district_raise", kwargs={"org_id": cast.district.pk})
    assert c.get(url).status_code == 200
    source = Source.objects.get(code="inspection")
    r = c.post(
        url,
        {
            "branch": cast.branch.pk,
            "source": source.pk,
            "raised_on": "2026-04-01",
            "problem": "巡察发现档案不全",
            "kind": "deadline",
            "deadline": "2026-07-01",
        },
    )
    assert r.status_code == 302
    item = Item.objects.get()
    assert item.raised_by_org == cast.district and item.report_due == dt.date(2026, 6, 1)
    page = c.get(reverse("rectify:district", kwargs={"org_id": cast.district.pk})).content.decode()
    assert "巡察发现档案不全" in page and "2026-06-01" in page


def test_district_view_query_count_is_fixed(cast, client_for):
    c = client_for("district_admin")
    url = reverse("rectify:district", kwargs={"org_id": cast.district.pk})
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    for n in range(5):
        branch = make_org(f"新支部{n}", OrgKind.BRANCH, cast.district)
        person = PersonFactory(branch=branch)
        for k in range(3):
            services.raise_item(
                actor=None,
                branch=branch,
                source="inspection",
                problem=f"问题{k}",
                responsible=person,
                kind="deadline",
                raised_on=dt.date(2026, 1, 1),
                deadline=dt.date(2026, 2, 1),
                raised_by_org=cast.district,
            )
        it = services.raise_item(actor=None, branch=branch, source="self_check", problem="已提交", kind="ongoing")
        services.submit(actor=None, item=it, evidence="已整改")
    with CaptureQueriesContext(connection) as many:
        r = c.get(url)
    assert len(many) == len(few) <= 20
    html = r.content.decode()
    assert html.index("新支部") < html.index(cast.other_branch.name)  # overdue branches first
