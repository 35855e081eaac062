"""The 整改台账 sheet: export in the usual columns and import from that same sheet (all or nothing,
through zhibu.core.imports.run_import)."""

from __future__ import annotations

import datetime as dt

from zhibu.core.xlsx import RowError, cell_text, read_table, write_table
from zhibu.orgs.models import Person
from zhibu.rectify import rules
from zhibu.rectify.models import Item, Kind, Source

HEADERS = [
    "序号",
    "问题来源",
    "发现日期",
    "问题类别",
    "问题表现",
    "整改措施",
    "责任人",
    "整改类型",
    "整改时限",
    "完成情况",
    "整改成效及佐证",
    "销号日期",
    "回头看",
]
IMPORT_HEADERS = HEADERS[1:]  # the reader skips the 序号 column
WIDTHS = [6, 12, 12, 12, 36, 36, 10, 10, 12, 10, 30, 12, 14]
_KINDS = {label: code for code, label in Kind.choices}


def sheet(branch, items: list[Item], today: dt.date) -> bytes:
    rows = []
    for n, i in enumerate(items, start=1):
        status = i.get_status_display() + ("（已超期）" if i.overdue(today) else "")
        review = (
            f"{i.reviewed_on:%Y-%m-%d}" if i.reviewed_on else (f"应于{i.review_due:%Y-%m-%d}" if i.review_due else "")
        )
        rows.append(
            [
                n,
                i.source.name,
                i.raised_on,
                i.category,
                i.problem,
                i.measures,
                i.responsible.name if i.responsible else "",
                i.kind_label,
                i.deadline,
                status,
                i.evidence,
                i.closed_on,
                review,
            ]
        )
    return write_table(
        f"{branch.name}整改台账",
        HEADERS,
        rows,
        widths=WIDTHS,
        formats={2: "yyyy-mm-dd", 8: "yyyy-mm-dd", 11: "yyyy-mm-dd"},
    )


def read_rows(upload):
    return read_table(upload, IMPORT_HEADERS)


def _date(value, row: int, column: str, errors: list[RowError]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(cell_text(value).replace("/", "-").replace(".", "-"))
    except ValueError:
        errors.append(RowError(row, column, f"日期“{cell_text(value)[:20]}”无法识别，请写成 2026-03-01。"))
        return None


def validate(rows, *, branch, today: dt.date) -> tuple[list[dict], list[RowError]]:
    """Every row checked before anything is written. Only new items are imported (the status columns
    are the ledger's, set by its lifecycle, and are ignored)."""
    sources = {s.name: s for s in Source.objects.filter(active=True)} | {
        s.code: s for s in Source.objects.filter(active=True)
    }
    people: dict[str, list[Person]] = {}
    for p in Person.objects.filter(branch=branch, active=True).only("id", "name", "branch_id"):
        people.setdefault(p.name, []).append(p)
    clean, errors = [], []
    for number, cells in rows:
        cells = list(cells) + [None] * (len(IMPORT_HEADERS) - len(cells))
        source_text, raised, category, problem, measures, person, kind_text, deadline_cell = cells[:8]
        source = sources.get(cell_text(source_text))
        if source is None:
            errors.append(
                RowError(
                    number,
                    "问题来源",
                    f"未知的问题来源“{cell_text(source_text)[:20]}”。可选：{'、'.join(n for _c, n in rules.SOURCES)}。",
                )
            )
        raised_on = _date(raised, number, "发现日期", errors) or today
        deadline = _date(deadline_cell, number, "整改时限", errors)
        problem_text = cell_text(problem)
        if not problem_text:
            errors.append(RowError(number, "问题表现", "请填写问题表现。"))
        elif len(problem_text) > 1000:
            errors.append(RowError(number, "问题表现", "问题表现不超过1000字。"))
        kind = _KINDS.get(cell_text(kind_text) or Kind.DEADLINE.label)
        if kind is None:
            errors.append(RowError(number, "整改类型", "整改类型应为立行立改、限期整改或长期坚持。"))
            kind = Kind.DEADLINE
        try:
            rules.check_deadline(raised_on, deadline, kind)
        except rules.RuleError as exc:
            errors.append(RowError(number, "整改时限", exc.message))
        responsible = None
        name = cell_text(person)
        if name:
            found = people.get(name, [])
            if len(found) != 1:
                errors.append(
                    RowError(number, "责任人", f"本支部{'没有' if not found else '有多个'}名为“{name[:20]}”的人员。")
                )
            else:
                responsible = found[0]
        if len(cell_text(category)) > 50:
            errors.append(RowError(number, "问题类别", "问题类别不超过50字。"))
        if len(cell_text(measures)) > 2000:
            errors.append(RowError(number, "整改措施", "整改措施不超过2000字。"))
        clean.append(
            {
                "source": source,
                "raised_on": raised_on,
                "problem": problem_text,
                "category": cell_text(category),
                "measures": cell_text(measures),
                "responsible": responsible,
                "kind": kind,
                "deadline": deadline,
            }
        )
    if not rows:
        errors.append(RowError(2, "问题表现", "表格中没有数据行。"))
    return clean, errors
