"""The 评优 veto hook (COMMON contract): `vetoes(branch, year) -> {person id: Chinese reason}` — people
with a 师德失范 finding carrying the 一票否决 effect on that year's 评优 (not withdrawn). 1 query."""

from __future__ import annotations

from zhibu.integrity import selectors


def vetoes(branch, year: int) -> dict[int, str]:
    return selectors.vetoed(branch, year)
