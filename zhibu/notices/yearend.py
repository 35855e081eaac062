"""The year-end pack's 上级通知签阅登记 (discovered by the yearend app): the notices the branch received
in the year, when and by whom they were signed, and how many members read a forwarded one."""

from __future__ import annotations

from django.db.models import Count, Q

from zhibu.core.xlsx import write_table
from zhibu.notices.models import Recipient, RecipientKind


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    rows = list(
        Recipient.objects.filter(branch=branch, kind=RecipientKind.BRANCH, notice__sent_on__year=year)
        .select_related("notice", "notice__sender", "read_by")
        .order_by("notice__sent_on", "id")
    )
    if not rows:
        return []
    forwarded = {
        r["notice_id"]: (r["n"], r["n_read"])
        for r in Recipient.objects.filter(branch=branch, kind=RecipientKind.FORWARDED, notice__sent_on__year=year)
        .values("notice_id")
        .annotate(n=Count("id"), n_read=Count("id", filter=Q(read_at__isnull=False)))
        .order_by()
    }
    table = []
    for r in rows:
        n, n_read = forwarded.get(r.notice_id, (0, 0))
        reader = (r.read_by.get_full_name() or r.read_by.get_username()) if r.read_by else ""
        table.append(
            [
                r.notice.title,
                r.notice.sender.name,
                r.notice.sent_on,
                r.notice.sign_by,
                r.read_at.date() if r.read_at else None,
                reader,
                f"{n_read}/{n}" if n else "未转发",
            ]
        )
    title = f"{branch.name}{year}年上级通知签阅登记"
    return [
        (
            f"{title}.xlsx",
            write_table(
                title,
                ["通知", "发文单位", "发送日期", "签阅截止", "签阅日期", "签阅人", "转发党员已阅"],
                table,
                widths=[40, 20, 12, 12, 12, 12, 14],
                formats={2: "yyyy-mm-dd", 3: "yyyy-mm-dd", 4: "yyyy-mm-dd"},
            ),
        )
    ]
