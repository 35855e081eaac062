"""Year-end hook (COMMON contract): the branch's 评优表彰台账 for the year — its nominations in the
rounds of that year, with the district's decisions and the 公示."""

from __future__ import annotations

from zhibu.commend import rules
from zhibu.commend.models import Nomination
from zhibu.core.documents import cn_date
from zhibu.core.xlsx import Col, new_workbook, sheet_title, workbook_bytes, write_sheet


def register(branch, year: int) -> bytes:
    rows = list(
        Nomination.objects.filter(branch=branch, round__year=year)
        .exclude(status=rules.WITHDRAWN)
        .select_related("round", "person")
        .order_by("round_id", "award_type", "id")
    )
    wb = new_workbook(creator=branch.name, title=f"{branch.name}{year}年评优表彰台账")
    write_sheet(
        wb.create_sheet(sheet_title("评优表彰")),
        [Col("序号", 6), Col("评优表彰", 28, wrap=True), Col("类别", 16), Col("人选", 12),
         Col("推荐理由", 40, wrap=True), Col("审定", 14), Col("公示", 26, wrap=True)],
        [
            (n, r.round.title, rules.AWARD_LABELS[r.award_type], r.nominee, r.reason, rules.STATUS_LABELS[r.status],
             f"{cn_date(r.round.publicity_start)}至{cn_date(r.round.publicity_end)}" if r.round.publicity_start else "")
            for n, r in enumerate(rows, 1)
        ],
        title=f"{branch.name}{year}年评优表彰台账",
    )
    return workbook_bytes(wb)


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    return [(f"{branch.name}{year}年评优表彰台账.xlsx", register(branch, year))]
