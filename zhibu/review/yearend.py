"""Year-end 台账 hook: `documents(branch, year)` → [(Chinese file name, bytes)] — the year's 评议情况报告,
测评汇总表 (when the poll was held and closed) and the 优秀党员公示 (when finalised)."""

from __future__ import annotations

from zhibu.review import documents as docs
from zhibu.review import selectors
from zhibu.review.models import Review


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    review = Review.objects.filter(branch=branch, year=year).select_related("branch").first()
    if review is None:
        return []
    summary = selectors.summary(review)
    out = [(f"{year}年度民主评议党员情况报告.docx",
            docs.report_docx(review, summary, selectors.followups_of(review),
                             upper_name=branch.parent.name if branch.parent_id else ""))]
    if summary.poll.closed:
        out.append((f"{year}年民主测评汇总表.xlsx", docs.tally_xlsx(review, summary)))
    if review.finalised_at is not None:
        out.append((f"{year}年度优秀党员公示.docx", docs.notice_docx(review, summary)))
    return out
