"""Injectable time. Code asks this module for the time; tests freeze it with `frozen(...)`.

    from zhibu.core import clock
    clock.today()           # a date in Asia/Shanghai
    with clock.frozen(datetime.date(2026, 3, 1)): ...
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, aware, in Asia/Shanghai."""
    return _frozen if _frozen is not None else dt.datetime.now(TZ)


def today() -> dt.date:
    return now().date()


@contextlib.contextmanager
def frozen(when: dt.date | dt.datetime) -> Iterator[dt.datetime]:
    """Freeze the clock at `when` (a date means 09:00 that day) for the duration of the block."""
    global _frozen
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(9, 0))
    if when.tzinfo is None:
        when = when.replace(tzinfo=TZ)
    previous, _frozen = _frozen, when
    try:
        yield when
    finally:
        _frozen = previous
