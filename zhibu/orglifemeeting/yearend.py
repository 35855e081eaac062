"""The year-end pack's 组织生活会 materials (zhibu.yearend discovers this module): the 情况报告 of each
of the year's cycles, as the 组织生活会 page downloads it."""

from __future__ import annotations

from zhibu.orglifemeeting import documents as olm_documents
from zhibu.orglifemeeting.models import CriticismNote, Cycle, Problem


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    cycles = list(
        Cycle.objects.filter(branch=branch, year=year).select_related("branch", "meeting").order_by("term", "id")
    )
    parent = branch.parent.name if branch.parent_id else ""
    for cycle in cycles:
        problems = list(Problem.objects.filter(cycle=cycle).select_related("responsible"))
        notes = list(CriticismNote.objects.filter(cycle=cycle))
        content = olm_documents.build_report(
            cycle, problems=problems, notes=notes, opinions=cycle.opinions.count(), upper_name=parent
        )
        out.append((f"{branch.name}{olm_documents.report_title(cycle)}.docx", content))
    return out
