""".xlsx exports: the branch's monthly collection sheet, a member's yearly statement, the district
summary. Money goes into the cells as Decimal (exact), formatted 0.00."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from zhibu.dues import rules
from zhibu.dues.models import LedgerEntry, Method
from zhibu.dues.selectors import BranchMonth, MonthClose, Statement

METHOD_LABELS = dict(Method.choices)
MONEY_FORMAT = "0.00"


def _sheet(ws, title: list[str], headers: list[str], rows: list[list[Any]], money_cols: set[int], widths: dict[int, int] | None = None) -> None:
    for line in title:
        ws.append([line])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        r = ws.max_row
        for c in money_cols:
            ws.cell(row=r, column=c).number_format = MONEY_FORMAT
    for col in range(1, len(headers) + 1):
        letter = ws.cell(row=header_row, column=col).column_letter
        ws.column_dimensions[letter].width = (widths or {}).get(col, 12)


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def month_sheet_bytes(branch_name: str, close: MonthClose, entries: dict[int, list[LedgerEntry]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{close.month:%Y-%m}"
    rows = []
    for i, r in enumerate(close.rows, start=1):
        live = [e for e in entries.get(r.person_id, []) if e.reverses_id is None]
        last = live[-1] if live else None
        rows.append([
            i, r.name, r.category_label, r.base, r.due, r.paid,
            last.paid_on if last else None, METHOD_LABELS.get(last.method, "") if last else "",
            "、".join(e.receipt_number for e in live if e.receipt_number),
            "已交" if r.is_paid else ("免交" if r.due == 0 else "未交"), r.arrears or None,
        ])
    total = close.total
    rows.append(["合计", f"{total.members}人", "", None, total.due_total, total.collected, None, "", "",
                 f"已交{total.paid}/{total.owing}人", None])
    _sheet(ws, [f"{branch_name} {close.month:%Y年%-m月}党费收缴表", f"取舍规则:{rules.ROUNDING_NOTE}"],
           ["序号", "姓名", "类别", "计算基数(元)", "应交(元)", "实交(元)", "交纳日期", "方式", "收据号", "状态", "连续未交月数"],
           rows, {4, 5, 6}, {2: 10, 3: 16, 4: 14, 7: 12, 9: 14})
    for r in range(1, ws.max_row + 1):
        ws.cell(row=r, column=7).number_format = "yyyy-mm-dd"
    return _bytes(wb)


def statement_bytes(branch_name: str, st: Statement) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{st.year}年"
    rows = [[f"{m.month:%Y-%m}", m.due, m.paid, m.status_label] for m in st.months]
    rows.append(["合计", st.due_total, st.paid_total, ""])
    arrears = st.arrears.arrears if st.arrears else 0
    title = [f"{st.person.name} {st.year}年党费交纳明细({branch_name})", f"截至目前连续未交 {arrears} 个月"]
    if st.paid_elsewhere_to is not None:
        title.append(f"党费交至 {st.paid_elsewhere_to:%Y年%-m月}(原支部)")
    _sheet(ws, [*title, f"取舍规则:{rules.ROUNDING_NOTE}"],
           ["月份", "应交(元)", "实交(元)", "状态"], rows, {2, 3})
    ws2 = wb.create_sheet("交纳记录")
    entry_rows = [[e.pk, f"{e.month:%Y-%m}", e.amount_due, e.amount_paid, e.paid_on, METHOD_LABELS.get(e.method, e.method),
                   e.receipt_number, f"冲正第{e.reverses_id}号" if e.reverses_id else ("已冲正" if getattr(e, "is_reversed", False) else ""),
                   e.note] for e in st.entries]
    _sheet(ws2, [], ["编号", "月份", "应交(元)", "实交(元)", "交纳日期", "方式", "收据号", "冲正", "备注"], entry_rows, {3, 4},
           {5: 12, 9: 30})
    for r in range(2, ws2.max_row + 1):
        ws2.cell(row=r, column=5).number_format = "yyyy-mm-dd"
    if st.voluntary:
        ws3 = wb.create_sheet("自愿多交党费")
        _sheet(ws3, [], ["交纳日期", "金额(元)", "上缴", "收据号", "备注"],
               [[v.paid_on, v.amount, "全额上缴中央" if v.to_centre else "", v.receipt_number, v.note] for v in st.voluntary],
               {2}, {1: 12, 3: 14, 5: 30})
        for r in range(2, ws3.max_row + 1):
            ws3.cell(row=r, column=1).number_format = "yyyy-mm-dd"
    return _bytes(wb)


def district_bytes(org_name: str, month: dt.date, rows: list[BranchMonth], total: BranchMonth) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{month:%Y-%m}"
    data = [[r.name, r.members, r.owing, r.paid, r.rate, r.due_total, r.collected, r.outstanding, r.no_profile,
             r.warning, r.escalate, r.lapsed, r.remitted, r.voluntary, r.voluntary_to_centre] for r in rows]
    data.append(["合计", total.members, total.owing, total.paid, total.rate, total.due_total, total.collected,
                 total.outstanding, total.no_profile, total.warning, total.escalate, total.lapsed, None,
                 total.voluntary, total.voluntary_to_centre])
    _sheet(ws, [f"{org_name} {month:%Y年%-m月}党费收缴汇总",
                "自愿多交党费不计入应收、实收;单笔1000元以上(含)的全额上缴中央(中组发〔2008〕3号 第11条)"],
           ["党支部", "党员数", "应交人数", "已交人数", "收缴率(%)", "应收(元)", "实收(元)", "未收(元)", "未核定基数",
            "连续未交≥3月", "≥5月", "≥6月", "已上缴(元)", "自愿多交(元)", "其中全额上缴中央(元)"], data, {6, 7, 8, 13, 14, 15},
           {1: 30, 14: 14, 15: 20})
    return _bytes(wb)
