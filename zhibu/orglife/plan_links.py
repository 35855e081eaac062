"""Records of this app that can fulfil a plan item (the plans app's generic link): the branch's
meetings held in the item's months, those of the item's kinds first. Called through the hook
`zhibu.<app>.plan_links.candidates(branch, year, months, kinds)`; no views are imported."""
from __future__ import annotations

from zhibu.orglife.models import Meeting


def candidates(branch, year: int, months: list[int], kinds: list[str], limit: int = 30) -> list[tuple[str, int, str]]:
    meetings = (Meeting.objects.filter(branch=branch, date__year=year, month__in=months or range(1, 13))
                .only("id", "kind", "date", "topic").order_by("date", "id")[:200])
    rows = sorted(meetings, key=lambda m: (m.kind not in kinds, m.date, m.id))[:limit]
    return [("orglife.meeting", m.pk, f"{m.date:%Y-%m-%d} {m.get_kind_display()}:{m.topic}") for m in rows]
