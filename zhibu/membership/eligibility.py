"""Hook: people barred from a year's 评优 by a 党纪处分 (zhibu.membership.rules.vetoed_in)."""

from __future__ import annotations


def vetoes(branch, year: int) -> dict[int, str]:
    from zhibu.membership import selectors

    return selectors.vetoes(branch, year)
