"""Payroll (.xlsx) import of dues bases, like the roster import: every row is checked before anything
is written (all or nothing), errors are reported per row and column in Chinese.

Columns: 姓名, 身份证号 (optional: matched first, else the name must be unique in the branch), 类别
(在职/离退休/学生/下岗失业/低保/农民, or the full label), 计算基数(元), 农民党员月交金额(元),
生效月份 (YYYY-MM; empty: the month chosen on the form).

Amounts are read exactly: a number cell goes through its shortest decimal representation
(4500.1 → Decimal("4500.1"), never the binary float), and more than two decimal places is an error.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from zhibu.core.crypto import digest
from zhibu.core.xlsx import (Col, RowError, TableFileError, cell_text, instructions_sheet, new_workbook, read_table,
                              workbook_bytes, write_sheet)
from zhibu.dues import rules
from zhibu.orgs import rules as org_rules
from zhibu.orgs.models import Person

COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("category", "类别"),
    ("base", "计算基数（元）"),
    ("farmer_amount", "农民党员月交金额（元）"),
    ("effective_month", "生效月份"),
]
HEADERS = [label for _k, label in COLUMNS]
LABELS = dict(COLUMNS)
MAX_ROWS = 2000
CATEGORY_ALIASES = {
    **{label: code for code, label in rules.CATEGORY_LABELS.items()},
    **{code: code for code in rules.CATEGORIES},
    "在职": rules.IN_SERVICE, "离退休": rules.RETIRED, "退休": rules.RETIRED, "离休": rules.RETIRED,
    "学生": rules.STUDENT, "下岗失业": rules.UNEMPLOYED, "失业": rules.UNEMPLOYED, "下岗": rules.UNEMPLOYED,
    "低保": rules.LOW_INCOME, "农民": rules.FARMER,
}
SHORT_LABEL = {rules.IN_SERVICE: "在职", rules.RETIRED: "离退休", rules.STUDENT: "学生", rules.UNEMPLOYED: "下岗失业",
               rules.LOW_INCOME: "低保", rules.FARMER: "农民"}
AMOUNT_RE = re.compile(r"[0-9]+(\.[0-9]+)?")
MONTH_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月)?(?:\s*[-/.]\s*\d{1,2}\s*日?)?")


PayrollFileError = TableFileError  # the file as a whole cannot be used


def parse_amount(value: Any) -> Decimal | None:
    """An exact Decimal from a cell (None if empty). Raises ValueError with a Chinese message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("金额应为数字")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))  # the shortest representation: what was typed, not the binary float
    elif isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip().replace(",", "").replace(",", "").removesuffix("元").strip()
        if not AMOUNT_RE.fullmatch(text):
            raise ValueError("金额应为非负数字,如 4500 或 4500.50")
        amount = Decimal(text)
    try:
        return rules._money(amount, "金额")
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ValueError(str(exc).replace("金额 ", "金额")) from None


def parse_month(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    text = cell_text(value)
    m = MONTH_RE.fullmatch(text) or (re.fullmatch(r"(\d{4})(\d{2})", text))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError("生效月份格式应为 YYYY-MM,如 2026-03")
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


INSTRUCTIONS = [
    ("姓名", "必填", "本支部在册党员的姓名；重名时须填写身份证号"),
    ("身份证号", "选填", "18位，整列已设为文本格式；填写后按身份证号匹配"),
    ("类别", "必填", "从下拉列表选择：" + "、".join(SHORT_LABEL.values())),
    ("计算基数（元）", "在职、离退休必填", "税后工资等计算基数，最多两位小数，如 4500 或 4500.50"),
    ("农民党员月交金额（元）", "农民党员必填", "0.2—1元；其他类别不填"),
    ("生效月份", "选填", "如 2026-03；不填按导入页面上选择的月份"),
    ("说明", "", "不要改动第1行表头和列的顺序。导入时先检查所有行，全部无误才写入。"),
]


def _workbook(rows: list[list[Any]]) -> bytes:
    """The import template: the header in row 1, text columns for ID numbers and months, a dropdown
    for the category, and a 填写说明 sheet."""
    widths = (12, 22, 12, 16, 22, 12)
    kinds = ("text", "code", "text", "money", "money", "code")
    choices = {2: tuple(SHORT_LABEL.values())}
    columns = [Col(h, widths[i], kinds[i], choices=choices.get(i, ())) for i, h in enumerate(HEADERS)]
    wb = new_workbook(title="党费基数导入模板")
    write_sheet(wb.create_sheet("党费基数"), columns, rows, freeze_columns=1, template=True)
    instructions_sheet(wb, INSTRUCTIONS, title="党费基数导入模板填写说明")
    return workbook_bytes(wb)


def template_bytes(people: list[Person], current: dict[int, Any], month: dt.date) -> bytes:
    """A template listing the branch's members with their current category and base (if any)."""
    rows = []
    for p in people:
        profile = current.get(p.pk)
        rows.append([p.name, "", SHORT_LABEL[profile.category] if profile else "在职",
                     profile.base if profile and profile.base is not None else None,
                     profile.farmer_amount if profile else None, f"{month:%Y-%m}"])
    return _workbook(rows)


def read_rows(data: bytes | BinaryIO) -> list[tuple[int, list[Any]]]:
    return read_table(data, HEADERS, max_rows=MAX_ROWS)


# Shown for a filled ID column to whoever may not match by ID: the same words whatever the column
# holds (a valid ID of a member, of nobody, or junk), so the answer tells nothing about the ID.
ID_NOT_ALLOWED = "按身份证号匹配仅限书记、组织委员：请清空身份证号列，按姓名匹配（同名的请由书记或组织委员导入）"


def validate(rows: list[tuple[int, list[Any]]], *, members: list[Person], default_month: dt.date,
             by_id: bool = True) -> tuple[list[dict], list[RowError]]:
    """Check every row against the branch's current members. Returns (clean rows, errors).

    `by_id`: the importer may reveal ID numbers (zhibu.orgs.access REVEAL) and rows are matched by
    ID number first. Without it, rows are matched by name only and an ID number in a row is an
    error with one fixed message: no response may tell whether an ID exists."""
    by_digest = {p.id_number_digest: p for p in members if p.id_number_digest}
    by_name: dict[str, list[Person]] = {}
    for p in members:
        by_name.setdefault(p.name, []).append(p)
    clean, errors = [], []
    seen: dict[int, int] = {}
    for number, cells in rows:
        raw = dict(zip([k for k, _ in COLUMNS], cells))
        row_errors: list[RowError] = []

        def err(key: str, message: str) -> None:
            row_errors.append(RowError(number, LABELS[key], message))

        name = cell_text(raw["name"])
        id_number = org_rules.normalise_id(cell_text(raw["id_number"]))
        person = None
        if id_number and not by_id:
            err("id_number", ID_NOT_ALLOWED)
        elif id_number:
            message = org_rules.validate_id_number(id_number)
            if message:
                err("id_number", message)
            else:
                person = by_digest.get(digest(id_number))
                if person is None:
                    err("id_number", "本支部在册党员中没有该身份证号")
                elif name and person.name != name:
                    err("name", f"姓名与身份证号不符(系统中为“{person.name}”)")
        elif not name:
            err("name", "姓名不能为空")
        else:
            found = by_name.get(name, [])
            if not found:
                err("name", f"本支部在册党员中没有“{name}”")
            elif len(found) > 1:
                err("id_number", f"本支部有{len(found)}名“{name}”,请填写身份证号区分")
            else:
                person = found[0]
        if person is not None:
            if person.pk in seen:
                err("name", f"与第{seen[person.pk]}行是同一人")
            seen.setdefault(person.pk, number)

        category = CATEGORY_ALIASES.get(cell_text(raw["category"]))
        if category is None:
            err("category", "类别应为:" + "、".join(SHORT_LABEL.values()))
        values: dict[str, Any] = {}
        for key in ("base", "farmer_amount"):
            try:
                values[key] = parse_amount(raw[key])
            except ValueError as exc:
                err(key, str(exc))
        try:
            month = parse_month(raw["effective_month"]) or rules.add_months(default_month, 0)
        except ValueError as exc:
            err("effective_month", str(exc))
            month = None
        if category is not None and "base" in values and "farmer_amount" in values:
            if category in (rules.IN_SERVICE, rules.RETIRED) and values["base"] is None:
                err("base", f"{rules.CATEGORY_LABELS[category]}须填写计算基数")
            elif category != rules.FARMER and values["farmer_amount"] is not None:
                err("farmer_amount", "只有农民党员填写此列")
            else:
                try:
                    rules.monthly_due(category=category, base=values["base"], farmer_amount=values["farmer_amount"])
                except (TypeError, ValueError) as exc:
                    err("farmer_amount" if category == rules.FARMER else "base", str(exc))
        errors.extend(row_errors)
        if not row_errors:
            clean.append({"row": number, "person": person, "category": category, "base": values["base"],
                          "farmer_amount": values["farmer_amount"], "effective_month": month})
    return clean, errors
