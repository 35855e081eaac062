"""System checks run by `zhibu migrate`, `runserver` and `check` (and by zhibu.wsgi at start):
the configured encryption keys must read the stored data."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security)
def encryption_keys_fit_the_data(app_configs=None, databases=None, **kwargs):
    from zhibu.core import crypto

    try:
        problems = crypto.key_problems()
    except DatabaseError:
        return []  # no tables yet (first migrate): nothing encrypted to read
    return [checks.Critical(p, id="zhibu.E001") for p in problems]
