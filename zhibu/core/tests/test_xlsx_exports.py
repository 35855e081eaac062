"""Every .xlsx the app serves, through the real views, with hostile text in every name: no cell is a
formula, text that a spreadsheet would run is quote-prefixed, characters XML cannot hold are gone,
and every sheet is set up for printing (A4, one page wide, the header repeated, page numbers).

The exports are found, not listed: every URL of the access cases whose path ends in .xlsx (a new
export is covered the day it gets its access case)."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core import clock, xlsx
from zhibu.core.tests.test_access_all_urls import collect

HOSTILE = ["=1+1", "+1", "-1", "@SUM(A1)", "\t制表", "\r回车", "=HYPERLINK(\"http://x\",\"点我\")"]
CONTROL = "控\x01制\x0b字\x1b符"  # (PostgreSQL stores no NUL: the layer's own test has one)
KNOWN_EXPORTS = {"orgs:roster_export", "orgs:roster_template", "dues:sheet_export", "dues:member_export",
                 "dues:district_export", "dues:base_template", "orglife:district_export", "dues:register_export"}
TODAY = dt.date(2026, 1, 20)


@pytest.fixture
def hostile(cast):
    """The cast with formula-like and control-character text wherever a user can type a name."""
    from zhibu.dues.models import LedgerEntry
    from zhibu.orgs.models import Organisation, Person

    with clock.frozen(TODAY):
        cases, _public = collect(cast)
        for person, value in zip(cast.people, HOSTILE + [CONTROL] * len(cast.people)):
            Person.objects.filter(pk=person.pk).update(name=value, post=value[:30], ethnicity=CONTROL, education=value[:20])
        Organisation.objects.filter(pk=cast.branch.pk).update(name="=1+1" + CONTROL + "党支部")
        Organisation.objects.filter(pk=cast.group.pk).update(name="@SUM(A1)" + CONTROL)
        LedgerEntry.objects.filter(person__branch=cast.branch).update(receipt_number="=1+1", note="-1" + CONTROL)
        LedgerEntry.objects.create(person=cast.people[0], branch=cast.branch, month=dt.date(2026, 1, 1),
                                   amount_due=Decimal("30.00"), amount_paid=Decimal("30.00"), paid_on=dt.date(2026, 1, 12),
                                   receipt_number="@SUM(A1)", note="\t" + CONTROL)
        yield cast, cases


def _xlsx_urls(cast, cases):
    """(url name, url) for every .xlsx download: at the branch, and at the district where it applies."""
    out = []
    for name, kwargs in sorted(cases.items()):
        url = reverse(name, kwargs=kwargs)
        if url.endswith(".xlsx"):
            out.append((name, url))
            if set(kwargs) == {"org_id"}:
                out.append((name, reverse(name, kwargs={"org_id": cast.district.pk})))
    return out


def _downloads(cast, cases):
    clients = {}
    for who in ("secretary", "district_admin"):
        c = Client(raise_request_exception=False)
        c.force_login(getattr(cast, who))
        clients[who] = c
    served: dict[str, list] = {}
    with clock.frozen(TODAY):
        for name, url in _xlsx_urls(cast, cases):
            for who, c in clients.items():
                response = c.get(url)
                assert response.status_code < 500, f"{who} GET {url} -> {response.status_code}"
                if response.status_code == 200:
                    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    served.setdefault(name, []).append((f"{who} {url}", load_workbook(io.BytesIO(response.content))))
    return served


@pytest.mark.django_db
def test_every_export_writes_user_text_as_text_never_a_formula(hostile):
    cast, cases = hostile
    served = _downloads(cast, cases)
    assert KNOWN_EXPORTS <= set(served), f"exports not reached: {KNOWN_EXPORTS - set(served)}"
    failures, seen_hostile = [], set()
    for name, books in served.items():
        for where, wb in books:
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            failures.append(f"{where} {ws.title}!{cell.coordinate}: formula {cell.value!r}")
                        if isinstance(cell.value, str):
                            if cell.value.startswith(xlsx.FORMULA_START) and not cell.quotePrefix:
                                failures.append(f"{where} {ws.title}!{cell.coordinate}: {cell.value!r} without quote prefix")
                            if any(ch in cell.value for ch in "\x00\x01\x0b\x1b"):
                                failures.append(f"{where} {ws.title}!{cell.coordinate}: control character kept")
                            if cell.value in HOSTILE or cell.value.startswith("=1+1"):
                                seen_hostile.add(name)
    assert not failures, "\n".join(failures)
    # The hostile text really went through the exports that show names.
    assert {"orgs:roster_export", "dues:sheet_export", "dues:member_export", "orglife:district_export",
            "dues:base_template", "dues:register_export"} <= seen_hostile, seen_hostile


@pytest.mark.django_db
def test_every_sheet_of_every_export_is_set_up_for_printing(hostile):
    cast, cases = hostile
    failures = []
    for name, books in _downloads(cast, cases).items():
        for where, wb in books:
            assert wb.properties.language == "zh-CN", where
            for ws in wb.worksheets:
                problems = []
                if ws.page_setup.paperSize not in (9, "9"):
                    problems.append(f"paper {ws.page_setup.paperSize}")
                if not ws.sheet_properties.pageSetUpPr.fitToPage or int(ws.page_setup.fitToWidth) != 1:
                    problems.append("not fitted to one page wide")
                if not ws.print_title_rows:
                    problems.append("no print title rows")
                if ws.oddFooter.center.text != "第 &P 页 共 &N 页":
                    problems.append(f"footer {ws.oddFooter.center.text!r}")
                if not ws.freeze_panes:
                    problems.append("panes not frozen")
                header = int(ws.print_title_rows.split(":")[0].lstrip("$")) if ws.print_title_rows else 1
                cells = [c for c in ws[header] if c.value is not None]
                if not cells or not all(c.font.b and c.fill.fgColor.rgb.endswith("D9D9D9") and c.border.top.style == "thin"
                                        for c in cells):
                    problems.append("header not bold, shaded and bordered")
                if header > 1 and not any(str(r).startswith("A1:") for r in ws.merged_cells.ranges):
                    problems.append("title row not merged")
                width = sum(d.width or 0 for d in ws.column_dimensions.values())
                if width > xlsx.LANDSCAPE_WIDTH and ws.page_setup.orientation != "landscape":
                    problems.append("wide sheet printed portrait")
                if problems:
                    failures.append(f"{where} sheet {ws.title}: " + ", ".join(problems))
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_dates_money_and_signatures_on_the_collection_sheet(hostile):
    cast, _cases = hostile
    c = Client()
    c.force_login(cast.secretary)
    with clock.frozen(TODAY):
        content = c.get(reverse("dues:sheet_export", kwargs={"org_id": cast.branch.pk}) + "?month=2026-01").content
    ws = load_workbook(io.BytesIO(content)).active
    header = next(r for r in range(1, 6) if ws.cell(row=r, column=1).value == "序号")
    headers = [c.value for c in ws[header]]
    dates = [ws.cell(row=r, column=headers.index("交纳日期") + 1) for r in range(header + 1, ws.max_row + 1)]
    dated = [d for d in dates if isinstance(d.value, dt.datetime)]
    assert dated and all(d.number_format == xlsx.DATE_FORMAT for d in dated)
    money = [ws.cell(row=r, column=headers.index("应交（元）") + 1) for r in range(header + 1, ws.max_row + 1)]
    assert all(m.number_format == "0.00" for m in money if isinstance(m.value, (int, float)))
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    for label in ("收款人", "经手人", "支部书记", "日期"):
        assert any(t.startswith(label) for t in texts), label
    # 序号, never database ids, on the member's statement.
    with clock.frozen(TODAY):
        wb = load_workbook(io.BytesIO(c.get(reverse("dues:member_export", kwargs={
            "org_id": cast.branch.pk, "person_id": cast.people[0].pk}) + "?year=2026").content))
    records = wb["交纳记录"]
    header = next(r for r in range(1, 6) if records.cell(row=r, column=1).value == "序号")
    assert [records.cell(row=r, column=1).value for r in range(header + 1, records.max_row + 1)] == [1]


@pytest.mark.django_db
def test_import_templates_keep_ids_and_phones_as_text_with_dropdowns_and_instructions(cast, client_for):
    c = client_for("secretary")
    roster = load_workbook(io.BytesIO(c.get(reverse("orgs:roster_template", kwargs={"org_id": cast.branch.pk})).content))
    payroll = load_workbook(io.BytesIO(c.get(reverse("dues:base_template", kwargs={"org_id": cast.branch.pk})).content))
    for wb, text_columns, enumerated in ((roster, ("身份证号", "手机"), ("性别", "在职状态", "政治面貌", "党小组")),
                                         (payroll, ("身份证号",), ("类别",))):
        assert wb.sheetnames[-1] == "填写说明" and wb.worksheets[0].title != "填写说明"
        ws = wb.worksheets[0]
        headers = [c.value for c in ws[1]]
        for label in text_columns:
            letter = ws.cell(row=1, column=headers.index(label) + 1).column_letter
            assert ws.column_dimensions[letter].number_format == "@", label  # the whole column, row 3 and beyond
        validated = {str(ref).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation
                     for ref in dv.sqref.ranges}
        for label in enumerated:
            letter = ws.cell(row=1, column=headers.index(label) + 1).column_letter
            assert letter in validated, label
        reach = max(int(str(ref).split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
                    for dv in ws.data_validations.dataValidation for ref in dv.sqref.ranges)
        assert reach >= 2000
        notes = [str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value]
        assert any("文本格式" in n for n in notes)


def test_the_layer_writes_text_safely_and_reads_back_what_it_wrote():
    columns = [xlsx.Col("姓名"), xlsx.Col("身份证号", 22, "code"), xlsx.Col("日期", 16, "date"), xlsx.Col("金额", 10, "money")]
    rows = [[value, "110101199001011234", dt.date(2026, 10, 8), Decimal("45.5")]
            for value in HOSTILE + [CONTROL + "\x00", "\ud800孤"]]
    wb = xlsx.new_workbook(creator="支部" + CONTROL, title="测试")
    layout = xlsx.write_sheet(wb.create_sheet(xlsx.sheet_title("表[1]")), columns, rows, title="标题" + CONTROL,
                              signatures=("经手人（签字）：", "日期：　　年　　月　　日"))
    data = xlsx.workbook_bytes(wb)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    names = [ws.cell(row=r, column=1).value for r in range(layout.first_data_row, layout.last_data_row + 1)]
    assert names[:len(HOSTILE)] == [v for v in HOSTILE] and names[-2:] == ["控制字符", "孤"]
    assert ws.cell(row=layout.first_data_row, column=3).number_format == 'yyyy"年"m"月"d"日"'
    assert ws.cell(row=layout.first_data_row, column=4).number_format == "0.00"
    read = xlsx.read_table(data, ["姓名", "身份证号", "日期", "金额"], max_rows=50)
    assert [cells[0] for _n, cells in read][:len(HOSTILE)] == HOSTILE  # read back as typed, never evaluated
    assert read[0][0] == layout.first_data_row and read[0][1][1] == "110101199001011234"
    assert xlsx.sheet_title("表[1]:2026/3?") == "表_1__2026_3_"
