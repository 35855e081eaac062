"""The `exemptions` hook (discovered by zhibu.orglife.selectors.exemptions through
zhibu.core.hooks.app_modules): people exempt from attendance obligations — members flagged
失能/年老体弱 (党员教育管理工作条例 第23条, rules2.md §11)."""

from __future__ import annotations

import datetime as dt

from zhibu.care import selectors


def exempt_people(branch, on_date: dt.date) -> dict[int, str]:
    """person id → Chinese reason. 1 query."""
    return selectors.exempt_people(branch, on_date)
