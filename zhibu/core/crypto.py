"""Sensitive values (ID numbers, phones): encrypted at rest so that a database dump does not reveal
them, with a keyed digest for uniqueness and lookup, and masking for display."""
from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

UNREADABLE = "（无法解密）"


@functools.cache
def _fernets() -> tuple[Fernet, ...]:
    keys = list(settings.ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("未配置加密密钥（ZHIBU_ENCRYPTION_KEYS）。")
    try:
        return tuple(Fernet(k.encode() if isinstance(k, str) else k) for k in keys)
    except ValueError as exc:
        raise ImproperlyConfigured("ZHIBU_ENCRYPTION_KEYS 中有无效的密钥（应为 Fernet 密钥，32字节的 base64）。") from exc


@functools.cache
def _multi() -> MultiFernet:
    return MultiFernet(list(_fernets()))


@functools.cache
def _digest_key() -> bytes:
    # Derived from the first (encrypting) key: `zhibu rotate-keys` recomputes the digests with it.
    return hashlib.sha256(b"zhibu-field-digest:" + settings.ENCRYPTION_KEYS[0].encode()).digest()


@receiver(setting_changed)
def _reset(*, setting, **kwargs) -> None:
    if setting == "ENCRYPTION_KEYS":
        _fernets.cache_clear()
        _multi.cache_clear()
        _digest_key.cache_clear()


def encrypt(value: str) -> str:
    return _multi().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _multi().decrypt(token.encode()).decode()
    except InvalidToken:
        return UNREADABLE


def rotate(token: str) -> str:
    """The same value encrypted with the first key (raises InvalidToken when no key reads it)."""
    return _multi().rotate(token.encode()).decode() if token else ""


def key_state(token: str) -> str:
    """"current" (readable with the first key), "old" (only with a later key) or "unreadable"."""
    fernets = _fernets()
    for i, f in enumerate(fernets):
        try:
            f.decrypt(token.encode())
        except InvalidToken:
            continue
        return "current" if i == 0 else "old"
    return "unreadable"


def digest(value: str) -> str:
    """Keyed digest of a normalised value, for unique constraints and lookups without decryption."""
    return hmac.new(_digest_key(), value.strip().upper().encode(), hashlib.sha256).hexdigest()


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


def encrypted_fields() -> list[tuple[type[models.Model], str, str | None]]:
    """(model, encrypted column, its digest column or None) for every EncryptedCharField; the digest
    column is the one named `<field>_digest` on the same model."""
    from django.apps import apps

    out = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedCharField):
                out.append((model, f.name, f"{f.name}_digest" if f"{f.name}_digest" in names else None))
    return out


def _raw_values(model, field: str):
    """The stored tokens (not decrypted): values_list on a raw-typed alias skips from_db_value."""
    from django.db.models import F, TextField
    from django.db.models.functions import Cast

    qs = model._base_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
    return qs.annotate(_raw=Cast(F(field), TextField()))


def key_problems() -> list[str]:
    """Why the configured keys do not fit the stored data (empty when they do). One sample row per
    encrypted column, the newest: `rotate-keys` works all or nothing, so one row tells."""
    problems = []
    for model, field, _digest in encrypted_fields():
        token = _raw_values(model, field).order_by("-pk").values_list("_raw", flat=True).first()
        if not token:
            continue
        state = key_state(token)
        label = f"{model._meta.verbose_name}.{model._meta.get_field(field).verbose_name}"
        if state == "unreadable":
            problems.append(
                f"现有数据（{label}）无法用配置的加密密钥解密：密钥与数据库不匹配。请使用写入这些数据时的密钥"
                "（ZHIBU_ENCRYPTION_KEYS 或数据目录中的 encryption_keys），不要用新生成的密钥启动。"
            )
        elif state == "old":
            problems.append(
                f"现有数据（{label}）是用旧密钥加密的：加入新密钥后请先运行 `zhibu rotate-keys`，再启动服务。"
            )
    return problems


def rotate_all() -> dict[str, int]:
    """Re-encrypt every encrypted column with the first key and recompute its digest column.
    All or nothing; raises InvalidToken when a stored value cannot be read with any key."""
    from django.db import transaction

    counts: dict[str, int] = {}
    with transaction.atomic():
        for model, field, digest_field in encrypted_fields():
            rows = list(_raw_values(model, field).values_list("pk", "_raw"))
            for pk, token in rows:
                clear = _multi().decrypt(token.encode()).decode()
                values = {field: clear}
                if digest_field:
                    values[digest_field] = digest(clear)
                # update() runs get_prep_value, which encrypts with the first key.
                model._base_manager.filter(pk=pk).update(**values)
            counts[model._meta.label + "." + field] = len(rows)
    return counts
