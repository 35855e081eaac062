"""Hook: members whose voting rights are suspended on a day (留党察看, 党章 第四十条). Callers:
zhibu.orglife (Attendance.voting) and zhibu.elections (voters not counted)."""

from __future__ import annotations


def suspended(branch, on) -> dict[int, str]:
    from zhibu.membership import selectors

    return selectors.voting_suspended(branch, on)
