"""学习强国 points import: the app's export (.xlsx or .csv with 姓名, 日期, 积分) → per-person monthly
totals. Every row is checked first; any bad row (a name matching nobody, a bad date or number) is
listed by row and nothing is written (zhibu.core.imports.run_import)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

from zhibu.core import xlsx
from zhibu.core.uploads import UploadError, read_limited
from zhibu.core.xlsx import RowError, TableFileError, cell_text
from zhibu.orgs.models import Person
from zhibu.study import rules

HEADERS = ("姓名", "日期", "积分")
MAX_ROWS = 20000


def read_rows(upload) -> list[tuple[int, list]]:
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".csv"):
        return _read_csv(upload)
    return xlsx.read_table(upload, HEADERS, max_rows=MAX_ROWS)


def _read_csv(upload) -> list[tuple[int, list]]:
    try:
        data = read_limited(upload, xlsx.MAX_UPLOAD_BYTES)
    except UploadError as exc:
        raise TableFileError(str(exc)) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError("无法读取文件：.csv 文件须为 UTF-8 或 GB18030 编码")
    if "\x00" in text:
        raise TableFileError("无法读取文件：不是文本格式的 .csv 文件")
    rows = list(csv.reader(io.StringIO(text)))
    header_at = next((i for i, r in enumerate(rows[:5]) if [c.strip() for c in r[:3]] == list(HEADERS)), None)
    if header_at is None:
        raise TableFileError(f"找不到表头：第一行应为“{'、'.join(HEADERS)}”")
    out = [
        (i + 1, r[:3] + [""] * (3 - len(r[:3])))
        for i, r in enumerate(rows)
        if i > header_at and any(c.strip() for c in r)
    ]
    if not out:
        raise TableFileError("文件中没有数据行")
    if len(out) > MAX_ROWS:
        raise TableFileError(f"行数过多（上限{MAX_ROWS}行）")
    return out


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def validate(rows, *, branch, today: dt.date) -> tuple[list[dict], list[RowError]]:
    people = list(Person.objects.filter(branch=branch, active=True).values_list("pk", "name"))
    names = Counter(n for _pk, n in people)
    by_name = {n: pk for pk, n in people}
    clean, errors = [], []
    unknown = 0
    for row, cells in rows:
        name, date_cell, points_cell = cells[0], cells[1], cells[2]
        name = cell_text(name)
        ok = True
        if not name:
            errors.append(RowError(row, "姓名", "姓名为空"))
            ok = False
        elif name not in by_name:
            errors.append(RowError(row, "姓名", f"“{name}”不是本支部名册中的人员"))
            unknown += 1
            ok = False
        elif names[name] > 1:
            errors.append(RowError(row, "姓名", f"本支部有{names[name]}人名为“{name}”，无法区分，请分开导入"))
            ok = False
        date = _date(date_cell)
        if date is None:
            errors.append(RowError(row, "日期", f"日期“{cell_text(date_cell)}”无法识别，应写作2026-03-05"))
            ok = False
        elif date > today or date.year < today.year - 1:
            errors.append(RowError(row, "日期", f"日期{date:%Y-%m-%d}不在去年至今天之内"))
            ok = False
        text = cell_text(points_cell)
        points = int(text) if text.isdigit() else None
        if points is None or points > rules.MAX_POINTS_PER_DAY:
            errors.append(RowError(row, "积分", f"积分“{text}”不是0至{rules.MAX_POINTS_PER_DAY}之间的整数"))
            ok = False
        if ok:
            clean.append({"person_id": by_name[name], "month": date.replace(day=1), "points": points})
    if rows and unknown == len(rows):
        raise TableFileError("文件中的姓名都不在本支部名册中：这可能是其他支部的文件，未写入任何数据")
    return clean, errors
