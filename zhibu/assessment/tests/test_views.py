"""The assessment pages: the district defines its rubric (default 五好), scores a manual item with
evidence, grades a 述职, turns a finding into a 整改 item, exports; a branch sees its score with
drill-down links; refusals and bad input in Chinese."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhibu.assessment import rules, selectors, services
from zhibu.assessment.models import ManualScore, Report, Rubric, RubricItem
from zhibu.assessment.tests.access_cases import PNG, make_rubric
from zhibu.core import clock
from zhibu.core.models import AuditEntry

TODAY = dt.date(2026, 3, 1)


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"assessment:{name}", kwargs={"org_id": org.pk, **kwargs}) + f"?year={TODAY.year}"


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def test_district_defines_the_default_rubric_five_good_times_twenty(cast, client_for):
    admin = client_for("district_admin")
    page = admin.get(_url("rubric", cast.district)).content.decode()
    assert "尚未制定" in page
    r = admin.post(_url("rubric_create", cast.district), {"year": TODAY.year, "default": "on"})
    assert r.status_code == 302
    rubric = Rubric.objects.get(district=cast.district, year=TODAY.year)
    groups = selectors.groups_of(selectors.items_of(rubric))
    assert [g for g, _p, _i in groups] == list(rules.GROUPS)
    assert all(points == 20 for _g, points, _i in groups)
    page = admin.get(_url("rubric", cast.district)).content.decode()
    assert "已完成期次 ÷" in page  # the formula of a derived item is shown
    assert "手工评分" in page
    assert AuditEntry.objects.filter(action="assessment.rubric_create").exists()
    # twice: refused, not duplicated
    admin.post(_url("rubric_create", cast.district), {"year": TODAY.year, "default": "on"})
    assert Rubric.objects.filter(district=cast.district).count() == 1


def test_an_item_whose_source_is_not_installed_scores_zero_with_a_note(cast, client_for, monkeypatch):
    rubric = make_rubric(cast)
    from zhibu.assessment import hooks

    real = hooks.measures()
    monkeypatch.setattr(selectors, "measures", lambda: {k: m for k, m in real.items() if k != "dues_on_time"})
    result = selectors.assess(cast.district, rubric.year)
    row = next(r for r in result.rows if r.id == cast.branch.pk)
    dues = next(s for s in row.items if s.item.measure == "dues_on_time")
    assert dues.points == 0 and not dues.available and dues.note.startswith("数据来源未启用")
    page = client_for("district_admin").get(_url("branch", cast.branch)).content.decode()
    assert page.count("查看记录") >= 1


def test_district_adds_and_deletes_items_and_sets_thresholds(cast, client_for):
    rubric = make_rubric(cast)
    admin = client_for("district_admin")
    r = admin.post(
        _url("item_add", cast.district),
        {"group": "工作业绩好", "label": "特色党建品牌", "points": "5", "measure": "", "guidance": "品牌材料"},
    )
    assert r.status_code == 302
    item = RubricItem.objects.get(rubric=rubric, label="特色党建品牌")
    admin.post(_url("item_add", cast.district), {"group": "工作业绩好", "label": "特色党建品牌", "points": "5"})
    assert RubricItem.objects.filter(rubric=rubric, label="特色党建品牌").count() == 1
    r = admin.post(_url("item_add", cast.district), {"group": "x", "label": "y", "points": "500"}, follow=True)
    assert "分值" in r.content.decode() or "100" in r.content.decode()
    admin.post(reverse("assessment:item_delete", kwargs={"org_id": cast.district.pk, "item_id": item.pk}))
    assert not RubricItem.objects.filter(pk=item.pk).exists()
    admin.post(_url("thresholds", cast.district), {"advanced": 85, "backward": 50})
    rubric.refresh_from_db()
    assert (rubric.advanced, rubric.backward) == (85, 50)
    r = admin.post(_url("thresholds", cast.district), {"advanced": 40, "backward": 50}, follow=True)
    assert "后进线不能高于先进线" in r.content.decode()


def test_branch_sees_its_score_with_drill_down_and_cannot_score(cast, client_for):
    make_rubric(cast)
    secretary = client_for("secretary")
    page = secretary.get(_url("branch", cast.branch)).content.decode()
    assert 'id="branch-score"' in page
    assert reverse("orglife:index", kwargs={"org_id": cast.branch.pk}) in page  # drill-down to the records
    item = RubricItem.objects.filter(measure="").first()
    assert secretary.get(_url("manual", cast.branch, item_id=item.pk)).status_code == 403
    assert secretary.post(_url("grade", cast.branch), {"grade": "good"}).status_code == 403
    assert client_for("member").get(_url("branch", cast.branch)).status_code == 403
    # the district's pages asked with the branch: the branch page
    assert secretary.get(_url("index", cast.branch)).status_code == 302


def test_district_enters_a_manual_score_with_optional_evidence(cast, client_for):
    make_rubric(cast)
    item = RubricItem.objects.filter(measure="", points=20).first()
    admin = client_for("district_admin")
    url = _url("manual", cast.branch, item_id=item.pk)
    assert admin.get(url).status_code == 200
    r = admin.post(url, {"points": "25", "note": "测评"})
    assert r.status_code == 400 and "不能超过" in r.content.decode()
    r = admin.post(url, {"points": "18.5", "note": "满意度测评"})
    assert r.status_code == 302
    r = admin.post(url, {"points": "18.5", "note": "x", "upload": SimpleUploadedFile("a.exe", b"MZ")})
    assert r.status_code == 400 and "只能上传" in r.content.decode()
    r = admin.post(url, {"points": "19", "note": "附测评表", "upload": SimpleUploadedFile("测评.png", PNG)})
    assert r.status_code == 302
    score = ManualScore.objects.get(item=item, branch=cast.branch)
    assert score.points == Decimal("19") and score.file_name == "测评.png"
    result = selectors.assess(cast.branch, TODAY.year)
    assert next(s for s in result.rows[0].items if s.item.pk == item.pk).points == Decimal("19")
    got = admin.get(reverse("assessment:evidence", kwargs={"org_id": cast.branch.pk, "score_id": score.pk}))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"\x89PNG")
    derived = RubricItem.objects.exclude(measure="").first()
    assert admin.post(_url("manual", cast.branch, item_id=derived.pk), {"points": "1"}).status_code == 302
    assert not ManualScore.objects.filter(item=derived).exists()


def test_report_upload_grade_and_finding_to_rectify(cast, client_for):
    make_rubric(cast)
    secretary = client_for("secretary")
    r = secretary.post(_url("report", cast.branch), {"upload": SimpleUploadedFile("述职.pdf", b"%PDF-1.4 report")})
    assert r.status_code == 302
    report = Report.objects.get(branch=cast.branch, year=TODAY.year)
    assert report.file_name == "述职.pdf"
    secretary.post(_url("report", cast.branch), {"upload": SimpleUploadedFile("述职.pdf", b"not a pdf")})
    report.refresh_from_db()
    assert report.file_name == "述职.pdf"
    admin = client_for("district_admin")
    assert admin.post(_url("grade", cast.branch), {"grade": "fairly_good", "comment": "基础扎实"}).status_code == 302
    report.refresh_from_db()
    assert report.grade == "fairly_good"
    page = admin.get(_url("branch", cast.branch)).content.decode()
    assert "较好" in page
    r = admin.post(
        _url("finding", cast.branch), {"problem": "三会一课记录不全", "measures": "补齐记录", "deadline": "2026-05-01"}
    )
    assert r.status_code == 302
    from zhibu.rectify.models import Item

    item = Item.objects.get(branch=cast.branch, problem="三会一课记录不全")
    assert item.source.code == "report_review" and item.raised_by_org == cast.district
    r = admin.post(_url("finding", cast.branch), {"problem": "x", "deadline": "2020-01-01"}, follow=True)
    assert "整改时限" in r.content.decode()


def test_results_export_to_xlsx(cast, client_for):
    make_rubric(cast)
    admin = client_for("district_admin")
    r = admin.get(_url("export", cast.district))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:2] == ["考核结果", "评分细则"]
    text = "\n".join(str(c.value) for row in wb["考核结果"].iter_rows() for c in row if c.value is not None)
    assert cast.branch.name in text and cast.other_branch.name in text
    formulas = "\n".join(str(c.value) for row in wb["评分细则"].iter_rows() for c in row if c.value is not None)
    assert "已完成期次" in formulas
    Rubric.objects.all().delete()
    assert admin.get(_url("export", cast.district)).status_code == 302


def test_dashboard_draws_svg_charts_and_a_column_per_installed_source(cast, client_for):
    make_rubric(cast)
    page = client_for("district_admin").get(_url("dashboard", cast.district)).content.decode()
    assert page.count("<svg") == 2 and "各月应开展与已开展" in page and "考核档次分布" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing from a CDN
    from zhibu.assessment.hooks import measures

    for key in measures():
        assert f'data-key="{key}"' in page
    assert 'data-key="nonexistent"' not in page
    assert "<script" not in page.split("<main>")[1]


def test_auditor_reads_but_writes_nothing(cast, client_for):
    make_rubric(cast)
    auditor = client_for("auditor")
    assert auditor.get(_url("index", cast.district)).status_code == 200
    assert auditor.post(_url("thresholds", cast.district), {"advanced": 80, "backward": 40}).status_code == 403
    assert auditor.post(_url("grade", cast.branch), {"grade": "good"}).status_code == 403


def test_bad_year_in_the_query_string_shows_a_message(cast, client_for):
    make_rubric(cast)
    r = client_for("district_admin").get(
        reverse("assessment:index", kwargs={"org_id": cast.district.pk}) + "?year=99999"
    )
    assert r.status_code == 200 and "年份应在" in r.content.decode()


def test_services_refuse_with_codes(cast):
    rubric = make_rubric(cast)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        services.create_rubric(actor=None, district=cast.branch, year=2026)
    assert e.value.code == "not_district"
    with pytest.raises(ValidationError):
        services.set_thresholds(actor=None, rubric=rubric, advanced=50, backward=70)
    item = rubric.items.filter(measure="").first()
    with pytest.raises(ValidationError):
        services.set_manual_score(actor=None, item=item, branch=cast.district, points=Decimal(1))
    with pytest.raises(ValidationError):
        services.grade_report(actor=None, branch=cast.branch, year=2026, grade="excellent")
