"""Roster (.xlsx) template, export and validation. Export and import share one column list, so an
export re-imports unchanged. Validation is all-or-nothing: every row is checked before anything is
written, and errors are reported per row and column, in Chinese."""
from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from zhibu.core import clock
from zhibu.core.crypto import digest
from zhibu.core.xlsx import (Col, RowError, TableFileError, cell_text, instructions_sheet, new_workbook, read_table,
                              workbook_bytes, write_sheet)
from zhibu.orgs import rules
from zhibu.orgs.models import Employment, Gender, Person, Standing

COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("ethnicity", "民族"),
    ("education", "学历"),
    ("id_number", "身份证号"),
    ("phone", "手机"),
    ("post", "岗位"),
    ("employment", "在职状态"),
    ("standing", "政治面貌"),
    ("admitted_on", "入党日期"),
    ("full_on", "转正日期"),
    ("group", "党小组"),
]
HEADERS = [label for _key, label in COLUMNS]
DATE_FIELDS = {"birth_date", "admitted_on", "full_on"}
STANDING_BY_LABEL = {label: value for value, label in Standing.choices}
EMPLOYMENT_BY_LABEL = {label: value for value, label in Employment.choices}
MAX_ROWS = 2000


RosterFileError = TableFileError  # the file as a whole cannot be used


def _group_choices(groups: list[str]) -> tuple[str, ...]:
    """The branch's 党小组 as a dropdown, when the names fit in one (no commas or quotes, ≤ 255 characters)."""
    names = tuple(g for g in groups if g)
    if not names or any("," in g or '"' in g for g in names) or len(",".join(names)) > 250:
        return ()
    return names


def _columns(*, template: bool = False, groups: list[str] | None = None) -> list[Col]:
    widths = {"name": 12, "gender": 6, "birth_date": 16, "ethnicity": 8, "education": 10, "id_number": 22, "phone": 14,
              "post": 12, "employment": 10, "standing": 13, "admitted_on": 16, "full_on": 16, "group": 14}
    choices = {"gender": tuple(Gender.values), "employment": tuple(EMPLOYMENT_BY_LABEL),
               "standing": tuple(STANDING_BY_LABEL), "group": _group_choices(groups or [])}
    return [Col(label, widths[key], "date" if key in DATE_FIELDS else ("code" if key in ("id_number", "phone") else "text"),
                choices=choices.get(key, ())) for key, label in COLUMNS]


INSTRUCTIONS = [
    ("姓名", "必填", "不超过50字，如：张三"),
    ("性别", "必填", "从下拉列表选择：男、女"),
    ("出生日期", "选填", "日期，如 1990-05-01 或 1990年5月1日；填写身份证号时须与其一致"),
    ("民族", "选填", "如：汉族"),
    ("学历", "选填", "如：本科"),
    ("身份证号", "选填", "18位，整列已设为文本格式，直接输入即可（不会变成科学计数法）；用于匹配已有人员"),
    ("手机", "选填", "11位手机号，整列已设为文本格式"),
    ("岗位", "选填", "如：教师"),
    ("在职状态", "选填", "从下拉列表选择：" + "、".join(EMPLOYMENT_BY_LABEL) + "；不填按“在职”"),
    ("政治面貌", "选填", "从下拉列表选择：" + "、".join(STANDING_BY_LABEL) + "；不填按“群众”"),
    ("入党日期", "党员必填", "预备党员、正式党员须填写，如 2015-07-01"),
    ("转正日期", "正式党员必填", "须晚于入党日期，如 2016-07-01"),
    ("党小组", "选填", "从下拉列表选择本支部已设立的党小组，须与系统中一致"),
    ("说明", "", "从第2行起每行一人，不要改动第1行表头和列的顺序。导入时先检查所有行，全部无误才写入；"
                  "按身份证号匹配已有人员并更新，其余新增。"),
]


def _workbook_bytes(rows: list[list[Any]], *, groups: list[str] | None = None) -> bytes:
    """The import template's shape: the header in row 1, then one person per row."""
    wb = new_workbook(title="花名册导入模板")
    write_sheet(wb.create_sheet("花名册"), _columns(template=True, groups=groups), rows, freeze_columns=1, template=True)
    instructions_sheet(wb, INSTRUCTIONS, title="花名册导入模板填写说明")
    return workbook_bytes(wb)


def template_bytes(*, groups: list[str] | None = None) -> bytes:
    """An empty template; `groups`: the branch's 党小组 names, offered as a dropdown."""
    return _workbook_bytes([], groups=groups)


def export_bytes(people: list[Person], *, branch_name: str = "") -> bytes:
    """The roster as a printable document (title row, 序号), which still re-imports unchanged."""
    rows = []
    for i, p in enumerate(people, start=1):
        rows.append([
            i, p.name, p.gender, p.birth_date, p.ethnicity, p.education, p.id_number, p.phone, p.post,
            p.get_employment_display(), p.get_standing_display(), p.admitted_on, p.full_on,
            p.group.name if p.group_id else "",
        ])
    wb = new_workbook(creator=branch_name, title=f"{branch_name}花名册")
    write_sheet(wb.create_sheet("花名册"), [Col("序号", 6, "number"), *_columns()], rows,
                title=f"{branch_name}花名册", subtitles=[f"共{len(people)}人"], freeze_columns=2)
    return workbook_bytes(wb)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        raise ValueError("日期格式应为 YYYY-MM-DD") from None


def read_rows(data: BinaryIO | bytes) -> list[tuple[int, list[Any]]]:
    return read_table(data, HEADERS, max_rows=MAX_ROWS)


def validate(rows: list[tuple[int, list[Any]]], *, branch_id: int, groups: dict[str, int],
             existing: dict[str, tuple[int, int]]) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Check every row. `groups`: group name -> id in this branch. `existing`: id digest ->
    (person id, branch id) of people already registered (branch id None: in another district). Returns (clean rows, errors)."""
    clean, errors = [], []
    seen: dict[str, int] = {}
    labels = dict(COLUMNS)
    for number, cells in rows:
        raw = dict(zip([k for k, _ in COLUMNS], cells))
        row: dict[str, Any] = {}
        row_errors: list[RowError] = []

        def err(key: str, message: str) -> None:
            row_errors.append(RowError(number, labels[key], message))

        for key in DATE_FIELDS:
            try:
                row[key] = _date(raw[key])
            except ValueError as exc:
                err(key, str(exc))
        for key in ("name", "ethnicity", "education", "post"):
            row[key] = cell_text(raw[key])
        if row.get("birth_date") and (message := rules.validate_birth_date(row["birth_date"], clock.today())):
            err("birth_date", message)
        if not row["name"]:
            err("name", "姓名不能为空")
        elif len(row["name"]) > 50:
            err("name", "姓名过长")
        gender = cell_text(raw["gender"])
        if gender not in Gender.values:
            err("gender", "性别应为“男”或“女”")
        row["gender"] = gender
        employment = cell_text(raw["employment"]) or "在职"
        if employment not in EMPLOYMENT_BY_LABEL:
            err("employment", "在职状态应为:" + "、".join(EMPLOYMENT_BY_LABEL))
        row["employment"] = EMPLOYMENT_BY_LABEL.get(employment)
        standing = cell_text(raw["standing"]) or "群众"
        if standing not in STANDING_BY_LABEL:
            err("standing", "政治面貌应为:" + "、".join(STANDING_BY_LABEL))
        row["standing"] = STANDING_BY_LABEL.get(standing)
        id_number = rules.normalise_id(cell_text(raw["id_number"]))
        row["id_number"] = id_number
        row["person_id"] = None
        if id_number:
            message = rules.validate_id_number(id_number)
            if message:
                err("id_number", message)
            else:
                d = digest(id_number)
                if d in seen:
                    err("id_number", f"与第{seen[d]}行身份证号重复")
                seen[d] = number
                if d in existing:
                    person_id, person_branch = existing[d]
                    if person_branch is None:  # another district: say nothing of where
                        err("id_number", "该身份证号无法在本支部登记，请核对；如确属本人，请联系上级党委")
                    elif person_branch != branch_id:
                        err("id_number", "该身份证号已在本区其他支部登记，请办理组织关系转接")
                    else:
                        row["person_id"] = person_id
                if row.get("birth_date") and rules.birth_date_from_id(id_number) != row["birth_date"]:
                    err("birth_date", "出生日期与身份证号不一致")
        phone = rules.normalise_phone(cell_text(raw["phone"]))  # NFKC: full-width digits are the same number
        if phone:
            message = rules.validate_phone(phone)
            if message:
                err("phone", message)
        row["phone"] = phone
        if row.get("standing") in (Standing.PROBATIONARY, Standing.FULL) and not row.get("admitted_on") and "admitted_on" in row:
            err("admitted_on", "党员须填写入党日期")
        if row.get("standing") == Standing.FULL and not row.get("full_on") and "full_on" in row:
            err("full_on", "正式党员须填写转正日期")
        if row.get("admitted_on") and row.get("full_on") and row["full_on"] <= row["admitted_on"]:
            err("full_on", "转正日期应晚于入党日期")
        group = cell_text(raw["group"])
        row["group_id"] = None
        if group:
            if group not in groups:
                err("group", f"本支部没有名为“{group}”的党小组")
            else:
                row["group_id"] = groups[group]
        row["_row"] = number
        errors.extend(row_errors)
        if not row_errors:
            clean.append(row)
    return clean, errors
