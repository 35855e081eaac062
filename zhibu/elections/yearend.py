"""The year-end pack's 换届 materials (zhibu.yearend discovers this module): for each election whose
党员大会 was held in the year, the 选举办法, the 计票结果 and (once the committee divided its work) the
选举结果报告, as the election page downloads them."""

from __future__ import annotations

from zhibu.elections import documents as election_documents
from zhibu.elections import selectors
from zhibu.elections.models import Election


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    elections = Election.objects.filter(branch=branch, meeting_date__year=year).select_related(
        "branch", "branch__parent"
    )
    for election in elections.order_by("meeting_date", "id"):
        tally = selectors.tally(election)
        for kind in ("method", "tally", "report"):
            if not election_documents.missing(election, kind, tally):
                content = election_documents.build(election, kind, tally)
                out.append((f"{year}年{election_documents.filename(election, kind)}", content))
    return out
