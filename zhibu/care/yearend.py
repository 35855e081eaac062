"""The yearend hook (contract in the session notes): the branch's 台账 of 关怀与共建 for one year,
as (Chinese file name, bytes)."""

from __future__ import annotations

from zhibu.care import exports


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    return [
        (f"{year}年走访慰问台账.xlsx", exports.visits_sheet(branch, year)),
        (f"{year}年结对台账.xlsx", exports.pairs_sheet(branch, year)),
        (f"{year}年志愿服务台账.xlsx", exports.volunteer_sheet(branch, year)),
    ]
