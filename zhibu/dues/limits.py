"""Rate limit of the payroll import: a per-user counter in the cache (shared by every worker), counted
atomically (add, then incr), so a burst of parallel uploads is counted whole."""
from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

IMPORT_LIMIT = 10  # uploads per user and window (settings.DUES_IMPORT_LIMIT overrides)
IMPORT_WINDOW = 60 * 60  # seconds
IMPORT_REFUSED = "导入过于频繁：每人每小时最多导入{limit}次，请稍后再试。"


def _limit() -> int:
    return int(getattr(settings, "DUES_IMPORT_LIMIT", IMPORT_LIMIT))


def import_allowed(user) -> bool:
    """Count one import attempt by `user`; False once the limit of the window is passed."""
    key = f"dues-import:user:{user.pk}"
    cache.add(key, 0, IMPORT_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, IMPORT_WINDOW)
        count = 1
    return count <= _limit()


def refused_message() -> str:
    return IMPORT_REFUSED.format(limit=_limit())
