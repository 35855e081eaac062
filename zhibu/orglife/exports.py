"""The district grid as .xlsx."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from zhibu.orglife import rules

FILLS = {
    rules.OVERDUE: PatternFill("solid", fgColor="FDECEA"),
    rules.DUE: PatternFill("solid", fgColor="FFF4E0"),
    rules.MET: PatternFill("solid", fgColor="E3F4E8"),
}


def cell_text(cell) -> str:
    if cell.total == 1:
        return rules.STATUS_LABELS[cell.statuses[0]]
    parts = [f"已完成{cell.met}/{cell.total}"]
    if cell.overdue:
        parts.append(f"逾期{cell.overdue}")
    if cell.n(rules.DUE):
        parts.append("本期待办")
    return ",".join(parts)


def district_xlsx(org, rows, label: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "组织生活"
    ws.append([f"{org.name} 组织生活开展情况({label},按逾期项数排序)"])
    ws["A1"].font = Font(bold=True, size=13)
    header = ["序号", "党支部", "逾期项数", "本期待办", "已完成"] + [o.label for o in rules.DEFAULT_OBLIGATIONS]
    ws.append(header)
    for c in ws[2]:
        c.font = Font(bold=True)
    for i, r in enumerate(rows, start=1):
        ws.append([i, r.name, r.overdue, r.due, r.met] + [cell_text(c) for c in r.cells])
        for j, c in enumerate(r.cells):
            fill = FILLS.get(c.worst)
            if fill:
                ws.cell(row=ws.max_row, column=6 + j).fill = fill
    ws.append([])
    ws.append(["依据:"] + [f"{o.label}:{rules.FREQUENCY_LABELS[o.frequency]}({o.source})" for o in rules.DEFAULT_OBLIGATIONS])
    ws.column_dimensions["B"].width = 34
    for col in "FGHIJKLM":
        ws.column_dimensions[col].width = 16
    for row in ws.iter_rows(min_row=3):
        for c in row:
            c.alignment = Alignment(vertical="top")
    ws.freeze_panes = "C3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
