"""Year-end hook (COMMON contract): the branch's 廉政与师德台账 for the year."""

from __future__ import annotations

from zhibu.integrity import exports


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    return [(f"{branch.name}{year}年廉政与师德台账.xlsx", exports.ledger(branch, year))]
