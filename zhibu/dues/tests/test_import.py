import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook, load_workbook

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.dues import payroll
from zhibu.dues.models import DuesBase
from zhibu.dues.tests.helpers import members


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.date(2026, 3, 20)):
        yield


def xlsx(rows, headers=payroll.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, org_id, data: bytes, month="2026-03"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/o/{org_id}/dues/bases/import/",
                       {"file": SimpleUploadedFile("工资表.xlsx", data), "default_month": month})


def good_rows(cast):
    return [[p.name, "", "在职", 3000 + i * 1000.5, None, None] for i, p in enumerate(members(cast))]


def test_import_writes_every_row_exactly(cast, client_for):
    response = upload(client_for("secretary"), cast.branch.pk, xlsx(good_rows(cast)))
    assert response.status_code == 200, response.content.decode()[:2000]
    profiles = {p.person_id: p for p in DuesBase.objects.all()}
    assert len(profiles) == 9
    first = profiles[members(cast)[1].pk]
    assert first.base == D("4000.50") and first.effective_month == dt.date(2026, 3, 1)
    assert first.due().amount == D("40.01")  # 4000.50 × 1% = 40.005 → 40.01 half-up (float would give 40.00)
    assert AuditEntry.objects.filter(action="import", object_type="dues.Payroll").get().changes == {"rows": 9, "created": 9, "updated": 0}


def test_one_bad_row_writes_nothing_and_names_row_and_column(cast, client_for):
    rows = good_rows(cast)
    rows[4][3] = "4500.123"  # three decimal places: spreadsheet row 6, column 计算基数
    rows[6][2] = "公务员"  # unknown category: row 8
    response = upload(client_for("secretary"), cast.branch.pk, xlsx(rows))
    assert response.status_code == 400
    assert not DuesBase.objects.exists()
    errors = response.context["errors"]
    assert {(e.row, e.column) for e in errors} == {(6, "计算基数（元）"), (8, "类别")}
    html = response.content.decode()
    assert "第6行" in html and "计算基数（元）" in html and "未写入任何数据" in html


def test_validate_matching_and_duplicates(cast):
    people = members(cast)
    rows = [
        (2, [people[0].name, "", "在职", 5000, None, "2026-02"]),
        (3, [people[0].name, "", "在职", 5000, None, None]),  # same person again
        (4, ["不存在", "", "在职", 5000, None, None]),
        (5, [people[1].name, "", "在职", None, None, None]),  # base missing
        (6, [people[2].name, "", "农民", None, "1.50", None]),  # out of range
        (7, [people[3].name, "", "学生", None, None, "2026年13月"]),
        (8, [people[4].name, "", "离退休", "6,000.00元", None, dt.datetime(2026, 4, 9)]),
    ]
    clean, errors = payroll.validate(rows, members=people, default_month=dt.date(2026, 3, 1))
    got = {(e.row, e.column) for e in errors}
    assert got == {(3, "姓名"), (4, "姓名"), (5, "计算基数（元）"), (6, "农民党员月交金额（元）"), (7, "生效月份")}
    assert [r["row"] for r in clean] == [2, 8]
    assert clean[0]["effective_month"] == dt.date(2026, 2, 1)
    assert clean[1]["base"] == D("6000.00") and clean[1]["effective_month"] == dt.date(2026, 4, 1)


def test_bad_file_and_headers(cast, client_for):
    c = client_for("secretary")
    assert "无法读取" in upload(c, cast.branch.pk, b"not a zip").content.decode()
    assert "表头" in upload(c, cast.branch.pk, xlsx([], headers=["a", "b"])).content.decode()


def test_template_lists_members_and_reimports(cast, client_for):
    c = client_for("secretary")
    response = c.get(f"/o/{cast.branch.pk}/dues/bases/template.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(p.name for p in members(cast))
    # Fill in the bases and upload it again.
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=4).value = 4500
    buf = io.BytesIO()
    ws.parent.save(buf)
    assert upload(c, cast.branch.pk, buf.getvalue()).status_code == 200
    assert DuesBase.objects.count() == 9


def test_parse_amount_is_exact():
    assert payroll.parse_amount(0.1 + 0.2 - 0.3 + 4500.1) == D("4500.1")  # repr of that float is 4500.1
    assert payroll.parse_amount(3000.01) == D("3000.01")
    with pytest.raises(ValueError):
        payroll.parse_amount("12.345")
    with pytest.raises(ValueError):
        payroll.parse_amount("-1")
