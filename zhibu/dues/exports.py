""".xlsx exports: the branch's monthly collection sheet, a member's yearly statement, the district
summary. Laid out by the shared layer (zhibu.core.xlsx: title, header, borders, print setup, text
never run as a formula). Money goes into the cells as Decimal (exact), formatted 0.00; dates are
real dates shown as 2026年3月5日; rows are numbered (序号), never database ids."""
from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl import Workbook

from zhibu.core import xlsx
from zhibu.core.documents.text import cn_date

from zhibu.dues import rules
from zhibu.dues.models import LedgerEntry, Method
from zhibu.dues.selectors import BranchMonth, MonthClose, Statement

METHOD_LABELS = dict(Method.choices)
MONEY_FORMAT = xlsx.MONEY_FORMAT
CODE_HEADERS = {"收据号"}  # kept as text in the whole column
SIGNATURES = ("收款人（签字）：", "经手人（签字）：", "支部书记（签字）：", "日期：　　年　　月　　日")


def _sheet(ws, title: list[str], headers: list[str], rows: list[list[Any]], money_cols: set[int],
           widths: dict[int, int] | None = None, *, notes: list[str] = (), signatures: tuple[str, ...] = (),
           total_rows: int = 0, freeze_columns: int = 0) -> xlsx.Layout:
    """One sheet: title[0] as the merged title, the other lines under it; money_cols are 1-based."""
    columns = [xlsx.Col(h, (widths or {}).get(i, 12),
                        "money" if i in money_cols else ("code" if h in CODE_HEADERS else "text"))
               for i, h in enumerate(headers, start=1)]
    return xlsx.write_sheet(ws, columns, rows, title=title[0] if title else "", subtitles=title[1:], notes=list(notes),
                            signatures=signatures, total_rows=total_rows, freeze_columns=freeze_columns)


def _workbook(creator: str, title: str) -> Workbook:
    return xlsx.new_workbook(creator=creator, title=title)


def _bytes(wb: Workbook) -> bytes:
    return xlsx.workbook_bytes(wb)


def month_sheet_bytes(branch_name: str, close: MonthClose, entries: dict[int, list[LedgerEntry]]) -> bytes:
    title = f"{branch_name} {close.month:%Y年%-m月}党费收缴表"
    wb = _workbook(branch_name, title)
    ws = wb.create_sheet(f"{close.month:%Y-%m}")
    rows = []
    for i, r in enumerate(close.rows, start=1):
        live = [e for e in entries.get(r.person_id, []) if e.reverses_id is None]
        last = live[-1] if live else None
        rows.append([
            i, r.name, r.category_label, r.base, r.due, r.paid,
            last.paid_on if last else None, METHOD_LABELS.get(last.method, "") if last else "",
            "、".join(e.receipt_number for e in live if e.receipt_number),
            r.status_label, r.arrears or None,
        ])
    total = close.total
    rows.append(["合计", f"{total.members}人", "", None, total.due_total, total.collected, None, "", "",
                 f"已交{total.paid}/{total.owing}人", None])
    _sheet(ws, [title, f"取舍规则：{rules.ROUNDING_NOTE}"],
           ["序号", "姓名", "类别", "计算基数（元）", "应交（元）", "实交（元）", "交纳日期", "方式", "收据号", "状态", "连续未交月数"],
           rows, {4, 5, 6}, {1: 6, 2: 10, 3: 16, 4: 14, 7: 16, 9: 14, 11: 10}, signatures=SIGNATURES, total_rows=1,
           freeze_columns=2)
    return _bytes(wb)


def statement_bytes(branch_name: str, st: Statement) -> bytes:
    wb = _workbook(branch_name, f"{st.person.name} {st.year}年党费交纳明细")
    ws = wb.create_sheet(f"{st.year}年")
    rows = [[f"{m.month:%Y-%m}", m.due, m.paid, m.status_label] for m in st.months]
    rows.append(["合计", st.due_total, st.paid_total, ""])
    arrears = st.arrears.arrears if st.arrears else 0
    title = [f"{st.person.name} {st.year}年党费交纳明细({branch_name})", f"截至目前连续未交 {arrears} 个月"]
    if st.paid_elsewhere_to is not None:
        title.append(f"党费交至 {st.paid_elsewhere_to:%Y年%-m月}(原支部)")
    _sheet(ws, [*title, f"取舍规则：{rules.ROUNDING_NOTE}"],
           ["月份", "应交（元）", "实交（元）", "状态"], rows, {2, 3}, {1: 14, 4: 14}, total_rows=1)
    ws2 = wb.create_sheet("交纳记录")
    number = {e.pk: i for i, e in enumerate(st.entries, start=1)}  # 序号 on the sheet, never database ids

    def reversal(e) -> str:
        if e.reverses_id:
            return f"冲正序号{number[e.reverses_id]}" if e.reverses_id in number else "冲正以前年度的记录"
        return "已冲正" if getattr(e, "is_reversed", False) else ""

    entry_rows = [[number[e.pk], f"{e.month:%Y-%m}", e.amount_due, e.amount_paid, e.paid_on, METHOD_LABELS.get(e.method, e.method),
                   e.receipt_number, reversal(e), e.note] for e in st.entries]
    _sheet(ws2, [f"{st.person.name} {st.year}年党费交纳记录"],
           ["序号", "月份", "应交（元）", "实交（元）", "交纳日期", "方式", "收据号", "冲正", "备注"], entry_rows, {3, 4},
           {1: 6, 5: 16, 8: 14, 9: 30})
    if st.voluntary:
        ws3 = wb.create_sheet("自愿多交党费")
        _sheet(ws3, [f"{st.person.name} {st.year}年自愿多交党费"], ["序号", "交纳日期", "金额（元）", "上缴", "收据号", "备注"],
               [[i, v.paid_on, v.amount, "全额上缴中央" if v.to_centre else "", v.receipt_number, v.note]
                for i, v in enumerate(st.voluntary, start=1)],
               {3}, {1: 6, 2: 16, 4: 14, 6: 30})
    return _bytes(wb)


def district_bytes(org_name: str, month: dt.date, rows: list[BranchMonth], total: BranchMonth) -> bytes:
    wb = _workbook(org_name, f"{org_name} {month:%Y年%-m月}党费收缴汇总")
    ws = wb.create_sheet(f"{month:%Y-%m}")
    data = [[r.name, r.members, r.owing, r.paid, r.rate, r.due_total, r.collected, r.outstanding, r.no_profile,
             r.warning, r.escalate, r.lapsed, r.remitted, r.voluntary, r.voluntary_to_centre] for r in rows]
    data.append(["合计", total.members, total.owing, total.paid, total.rate, total.due_total, total.collected,
                 total.outstanding, total.no_profile, total.warning, total.escalate, total.lapsed, None,
                 total.voluntary, total.voluntary_to_centre])
    _sheet(ws, [f"{org_name} {month:%Y年%-m月}党费收缴汇总",
                "自愿多交党费不计入应收、实收；单笔1000元以上（含）的全额上缴中央（中组发〔2008〕3号 第11条）"],
           ["党支部", "党员数", "应交人数", "已交人数", "收缴率（%）", "应收（元）", "实收（元）", "未收（元）", "未核定基数",
            "连续未交≥3月", "≥5月", "≥6月", "已上缴（元）", "自愿多交（元）", "其中全额上缴中央（元）"], data, {6, 7, 8, 13, 14, 15},
           {1: 30, 14: 14, 15: 20}, signatures=("填表人（签字）：", "负责人（签字）：", "日期：　　年　　月　　日"),
           total_rows=1, freeze_columns=1)
    return _bytes(wb)


# ---------------------------------------------------------------------------------------------
# 党费收缴登记表: the month's register, signed on paper (appended by the dues app)

REGISTER_HEADERS = ["序号", "姓名", "类别", "应交（元）", "实交（元）", "状态", "尚欠（元）", "交纳日期", "方式", "收据号", "备注"]


def register_bytes(branch_name: str, close: MonthClose, entries: dict[int, list[LedgerEntry]], closing=None) -> bytes:
    """The month's 党费收缴登记表: one row per member (what was due, paid, 少交 and the rest owed, the
    live payments' dates, methods and receipts), the totals, and the lines the 收款人, 经手人 and
    支部书记 sign with the date. The title says whether and when the month was closed (结账)."""
    state = f"（{closing.closed_at:%Y年%-m月%-d日}结账）" if closing is not None else "（未结账）"
    title = f"{branch_name} {close.month:%Y年%-m月}党费收缴登记表"
    wb = _workbook(branch_name, title)
    ws = wb.create_sheet(f"{close.month:%Y-%m}")
    rows: list[list[Any]] = []
    for i, r in enumerate(close.rows, start=1):
        reversed_ids = {e.reverses_id for e in entries.get(r.person_id, []) if e.reverses_id}
        live = [e for e in entries.get(r.person_id, []) if e.reverses_id is None and e.pk not in reversed_ids]
        status = "原支部已交" if r.elsewhere and not r.is_paid else ("已转出" if r.left_on and not r.is_paid else r.status_label)
        rows.append([
            i, r.name, r.category_label, r.due, r.paid, status, r.shortfall or None,
            "、".join(cn_date(e.paid_on) for e in live),
            "、".join(dict.fromkeys(METHOD_LABELS.get(e.method, "") for e in live)),
            "、".join(e.receipt_number for e in live if e.receipt_number),
            "、".join(e.note for e in live if e.note),
        ])
    b = close.total
    rows.append(["合计", f"应交{b.owing}人", "", b.due_total, b.collected, f"已交{b.paid}人", b.outstanding or None, "", "", "", ""])
    _sheet(ws, [title + state, f"取舍规则：{rules.ROUNDING_NOTE}"], REGISTER_HEADERS, rows, {4, 5, 7},
           {1: 6, 2: 10, 3: 16, 8: 16, 10: 14, 11: 24}, signatures=SIGNATURES, total_rows=1, freeze_columns=2)
    return _bytes(wb)
