"""Login throttling. Every attempt is counted before the password is checked, by one atomic upsert
in the database (shared by all worker processes): a burst of parallel attempts cannot all pass the
check before any failure is recorded. An account is locked after LOGIN_FAILURE_LIMIT unsuccessful
attempts within LOGIN_FAILURE_WINDOW seconds; one address gets the much higher LOGIN_ADDRESS_LIMIT,
so one person behind a school's NAT address cannot lock everyone out."""
from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.db import connection
from django.db.models import F

from zhibu.core.models import LoginThrottle


def _user_key(username: str) -> str:
    # Hashed: a user name can be any length or character.
    return "user:" + hashlib.sha256(username.strip().lower().encode()).hexdigest()


def _addr_key(address: str) -> str:
    return "addr:" + address[:64]


def _bump(key: str, now: int, window: int | None = None) -> int:
    """Count one attempt for `key` and return the count in the current window (a new window starts
    with 1). One statement: atomic on SQLite and PostgreSQL alike."""
    qn = connection.ops.quote_name
    table, k, c, w = qn(LoginThrottle._meta.db_table), qn("key"), qn("count"), qn("window_end")
    end = now + (window or settings.LOGIN_FAILURE_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {c}, {w}) VALUES (%s, 1, %s) ON CONFLICT ({k}) DO UPDATE SET "
            f"{c} = CASE WHEN {table}.{w} <= %s THEN 1 ELSE {table}.{c} + 1 END, "
            f"{w} = CASE WHEN {table}.{w} <= %s THEN %s ELSE {table}.{w} END RETURNING {c}",
            [key, end, now, now, end],
        )
        return cursor.fetchone()[0]


def attempt(username: str, address: str) -> bool:
    """Count an attempt; False when the account or the address is over its limit (then the password
    must not be checked at all)."""
    now = int(time.time())
    user_count = _bump(_user_key(username), now)
    addr_count = _bump(_addr_key(address), now)
    return user_count <= settings.LOGIN_FAILURE_LIMIT and addr_count <= settings.LOGIN_ADDRESS_LIMIT


def succeeded(username: str, address: str) -> None:
    """A successful sign-in: the account starts afresh; the address's count loses this attempt."""
    LoginThrottle.objects.filter(key=_user_key(username)).delete()
    LoginThrottle.objects.filter(key=_addr_key(address), count__gt=0).update(count=F("count") - 1)


def hit(key: str, *, window: int) -> int:
    """Count one event under `key` (e.g. a mailbox message from one hashed address) and return how
    many fell in the current window of `window` seconds: other apps' rate limits, same table."""
    return _bump(key[:100], int(time.time()), window)
