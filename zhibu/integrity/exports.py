"""The 廉政与师德台账 (.xlsx): the year's responsibility lists, commitments, violations and 三重一大
decisions of one branch, one sheet each, A4 print set-up (zhibu.core.xlsx)."""

from __future__ import annotations

from zhibu.core import clock
from zhibu.core.documents import cn_date
from zhibu.core.xlsx import Col, new_workbook, sheet_title, workbook_bytes, write_sheet
from zhibu.integrity import rules, selectors


def _when(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        value = value.astimezone(clock.TZ).date()
    return cn_date(value)


def ledger(branch, year: int) -> bytes:
    wb = new_workbook(creator=branch.name, title=f"{branch.name}{year}年廉政与师德台账")
    duties = selectors.duty_lists(branch, year)
    write_sheet(
        wb.create_sheet(sheet_title("廉政责任清单")),
        [Col("序号", 6), Col("责任人", 12), Col("岗位及责任", 18), Col("责任事项", 50, wrap=True),
         Col("本人确认", 16), Col("年终检查", 20, wrap=True)],
        [
            (n, d.person.name, d.role_title, "\n".join(d.lines), _when(d.signed_at) or "未确认",
             (rules.CHECK_LABELS.get(d.check_result, "") + (f"（{d.check_note}）" if d.check_note else ""))
             if d.checked_on else "未检查")
            for n, d in enumerate(duties, 1)
        ],
        title=f"{branch.name}{year}年廉政责任清单（一岗双责）",
    )
    commitments = selectors.commitments(branch, year)
    write_sheet(
        wb.create_sheet(sheet_title("师德承诺")),
        [Col("序号", 6), Col("姓名", 12), Col("签署", 18)],
        [(n, c.person.name, _when(c.signed_at) or "未签署") for n, c in enumerate(commitments, 1)],
        title=f"{branch.name}{year}年师德承诺书签署情况",
    )
    violations = selectors.violations(branch, year)
    write_sheet(
        wb.create_sheet(sheet_title("师德失范")),
        [Col("序号", 6), Col("当事人", 12), Col("日期", 16), Col("失范行为", 36, wrap=True),
         Col("处理结果", 24, wrap=True), Col("评优一票否决", 14)],
        [
            (n, v.person.name, cn_date(v.date), v.description, v.handling,
             ("已撤销：" + v.withdrawn_reason) if v.withdrawn_reason else ("是" if v.veto else "否"))
            for n, v in enumerate(violations, 1)
        ],
        title=f"{branch.name}{year}年师德失范行为登记",
    )
    decisions = selectors.decisions(branch, year)
    write_sheet(
        wb.create_sheet(sheet_title("三重一大")),
        [Col("序号", 6), Col("类别", 12), Col("决策事项", 30, wrap=True), Col("会议", 24, wrap=True),
         Col("表决结果", 40, wrap=True)],
        [
            (n, rules.CATEGORY_LABELS.get(d.category, d.category), d.item,
             f"{cn_date(d.date)} {d.meeting.get_kind_display()}", d.reason)
            for n, d in enumerate(decisions, 1)
        ],
        title=f"{branch.name}{year}年“三重一大”决策登记",
    )
    return workbook_bytes(wb)
