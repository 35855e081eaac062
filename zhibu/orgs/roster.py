"""Roster (.xlsx) template, export and validation. Export and import share one column list, so an
export re-imports unchanged. Validation is all-or-nothing: every row is checked before anything is
written, and errors are reported per row and column, in Chinese."""
from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from zhibu.core.crypto import digest
from zhibu.core.xlsx import RowError, TableFileError, cell_text, read_table, write_table
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


def _workbook_bytes(rows: list[list[Any]]) -> bytes:
    keys = [k for k, _label in COLUMNS]
    formats = {i: "yyyy-mm-dd" for i, k in enumerate(keys) if k in DATE_FIELDS}
    formats.update({keys.index("id_number"): "@", keys.index("phone"): "@"})
    widths = [22 if k == "id_number" else 14 for k in keys]
    return write_table("花名册", HEADERS, rows, widths=widths, formats=formats)


def template_bytes() -> bytes:
    example = ["张三", "女", dt.date(1990, 5, 1), "汉族", "本科", "", "", "教师", "在职", "正式党员",
               dt.date(2015, 7, 1), dt.date(2016, 7, 1), ""]
    return _workbook_bytes([example])


def export_bytes(people: list[Person]) -> bytes:
    rows = []
    for p in people:
        rows.append([
            p.name, p.gender, p.birth_date, p.ethnicity, p.education, p.id_number, p.phone, p.post,
            p.get_employment_display(), p.get_standing_display(), p.admitted_on, p.full_on,
            p.group.name if p.group_id else "",
        ])
    return _workbook_bytes(rows)


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
    (person id, branch id) of people already registered. Returns (clean rows, errors)."""
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
                    if person_branch != branch_id:
                        err("id_number", "该身份证号已在其他支部登记,请办理组织关系转接")
                    else:
                        row["person_id"] = person_id
                if row.get("birth_date") and rules.birth_date_from_id(id_number) != row["birth_date"]:
                    err("birth_date", "出生日期与身份证号不一致")
        phone = cell_text(raw["phone"]).replace(" ", "").replace("-", "")
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
