"""Sensitive values (ID numbers, phones): encrypted at rest so that a database dump does not reveal
them, with a keyed digest for uniqueness and lookup, and masking for display."""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@functools.cache
def _key_material() -> bytes:
    return (settings.FIELD_KEY or settings.SECRET_KEY).encode()


@functools.cache
def _fernet() -> Fernet:
    key = hashlib.sha256(b"zhibu-field-encryption:" + _key_material()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return "(无法解密)"


def digest(value: str) -> str:
    """Keyed digest of a normalised value, for unique constraints and lookups without decryption."""
    key = hashlib.sha256(b"zhibu-field-digest:" + _key_material()).digest()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


class EncryptedCharField(models.TextField):
    """A text column that holds a Fernet token; Python sees the clear value."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""
