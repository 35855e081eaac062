"""The year-end pack's 工作计划 (zhibu.yearend discovers this module): each plan of the year as the
工作计划 page exports it (公文 layout, 行事历 attached, 落款 dated the day it was entered)."""

from __future__ import annotations

from zhibu.plans import document, selectors
from zhibu.plans.models import Plan


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for plan in Plan.objects.filter(branch=branch, year=year).order_by("half", "id"):
        items = list(plan.items.select_related("owner").defer(*selectors.OWNER_SENSITIVE).order_by("order", "id"))
        content = document.build_docx(plan, items, branch_name=branch.name, signed_on=document.signing_default(plan))
        name = str(plan)
        if branch.name not in name:
            name = f"{branch.name}{name}"
        if str(year) not in name:
            name = f"{name}（{year}年）"
        out.append((f"{name}.docx", content))
    return out
