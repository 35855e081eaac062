"""Login throttling: after LOGIN_FAILURE_LIMIT failures for a user name, or from one address, within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused until the window has passed."""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    # Hashed: a user name can be any length or character, a cache key cannot.
    user = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return [f"login-fail:user:{user}", f"login-fail:addr:{address[:64]}"]


def is_locked(username: str, address: str) -> bool:
    return any((cache.get(k) or 0) >= settings.LOGIN_FAILURE_LIMIT for k in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for k in _keys(username, address):
        cache.add(k, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(k)
        except ValueError:
            cache.set(k, 1, settings.LOGIN_FAILURE_WINDOW)


def clear(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
