"""The plan as JSON (plan-import.md `parse --json`) and as text that the parser reads back
(render_calendar). Pure Python."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from zhibu.plans.text import _CIRCLED, _marker_re, _normalise

if TYPE_CHECKING:
    from zhibu.plans.parser import CalendarItem, Plan


def to_json(plan: Plan) -> dict:
    return {
        "title": plan.title,
        "year": plan.year,
        "sections": [{"number": s.number, "heading": s.heading, "level": s.level} for s in plan.sections],
        "calendar": [
            {"months": list(c.months), "text": c.text, "kinds": list(c.kinds), "theme": c.theme} for c in plan.calendar
        ],
        "targets": [t.to_json() for t in plan.targets],
    }


def months_label(months: list[int]) -> str:
    """[1,2,3] → "1-3月", [7, 8] → "7-8月", [1, 3] → "1、3月"."""
    ms = sorted(set(months))
    if not ms:
        return ""
    if len(ms) == 1:
        return f"{ms[0]}月"
    if ms == list(range(ms[0], ms[-1] + 1)):
        return f"{ms[0]}-{ms[-1]}月"
    return "、".join(str(m) for m in ms) + "月"


_RENDER_STYLES = ("paren", "arabic", "circled")


def _render_number(style: str, k: int) -> str:
    if style == "paren":
        return f"({k})"
    if style == "arabic":
        return f"{k}、"
    return _CIRCLED[(k - 1) % len(_CIRCLED)]


def render_calendar(plan: Plan) -> str:
    """The calendar as text; parse_text(render_calendar(p)).calendar == p.calendar."""
    lines = ["行事历", ""]
    groups: list[tuple[list[int], str | None, list[CalendarItem]]] = []
    for item in plan.calendar:
        key = (sorted(set(item.months)), item.theme)
        if groups and (groups[-1][0], groups[-1][1]) == key:
            groups[-1][2].append(item)
        else:
            groups.append((key[0], key[1], [item]))
    for months, theme, items in groups:
        lines.append(months_label(months) + ":")
        if theme is not None:
            lines.append(f"主题:{theme}")
        for item in items:
            nxt = None
            style = _RENDER_STYLES[0]
            for style in _RENDER_STYLES:
                nxt = _marker_re(style, 2) if style != "circled" else re.compile(re.escape(_CIRCLED[1]))
                if nxt is None or not nxt.search(_normalise(item.text)):
                    break
            lines.append(_render_number(style, 1) + item.text)
        lines.append("")
    return "\n".join(lines) + "\n"
