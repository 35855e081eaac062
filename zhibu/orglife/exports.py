"""The district grid as .xlsx."""
from __future__ import annotations

from openpyxl.styles import PatternFill

from zhibu.core import xlsx
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
    return "，".join(parts)


def district_xlsx(org, rows, label: str) -> bytes:
    """The district grid: one row per branch (序号, worst first), a cell per obligation coloured by
    its worst status, the basis of each obligation under the table."""
    title = f"{org.name} 组织生活开展情况（{label}，按逾期项数排序）"
    wb = xlsx.new_workbook(creator=org.name, title=title)
    ws = wb.create_sheet("组织生活")
    columns = [xlsx.Col("序号", 6), xlsx.Col("党支部", 34, wrap=True), xlsx.Col("逾期项数", 9), xlsx.Col("本期待办", 9),
               xlsx.Col("已完成", 8)] + [xlsx.Col(o.label, 16, wrap=True) for o in rules.DEFAULT_OBLIGATIONS]
    data = [[i, r.name, r.overdue, r.due, r.met] + [cell_text(c) for c in r.cells] for i, r in enumerate(rows, start=1)]
    notes = ["依据："] + [f"{o.label}：{rules.FREQUENCY_LABELS[o.frequency]}（{o.source}）" for o in rules.DEFAULT_OBLIGATIONS]
    layout = xlsx.write_sheet(ws, columns, data, title=title, notes=notes, freeze_columns=2)
    for i, r in enumerate(rows):
        for j, c in enumerate(r.cells):
            fill = FILLS.get(c.worst)
            if fill:
                ws.cell(row=layout.first_data_row + i, column=6 + j).fill = fill
    return xlsx.workbook_bytes(wb)
