"""The audit log. Every service that writes calls `record` inside its own transaction, so the
change and its log entry commit or roll back together (after Zulip's RealmAuditLog)."""
from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

from zhibu.core import clock
from zhibu.core.models import AuditEntry

# Fields whose values never go into the log in the clear.
SENSITIVE_FIELDS = {"id_number", "phone", "id_number_digest", "password"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The current values of a model's concrete fields, as plain JSON values."""
    names = list(fields) if fields is not None else [f.attname for f in instance._meta.concrete_fields]
    out = {}
    for name in names:
        field_name = name[:-3] if name.endswith("_id") and name[:-3] in SENSITIVE_FIELDS else name
        value = getattr(instance, name)
        out[name] = "***" if field_name in SENSITIVE_FIELDS and value else _plain(value)
    return out


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    organisation=None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. Must be called inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic")
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        at=clock.now(),
        actor=user,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
    )


class Update:
    """What `updating` saw: the changes ({field: [old, new]}) once the block has ended; inside the
    block, `pending()` tells what would change so far (to refuse a change before anything is saved)."""

    changes: dict[str, list[Any]]

    def __init__(self, pending: Callable[[], dict[str, list[Any]]] | None = None) -> None:
        self.changes = {}
        self._pending = pending

    def pending(self) -> dict[str, list[Any]]:
        return self._pending() if self._pending else {}


@contextlib.contextmanager
def updating(
    instance: models.Model,
    *,
    actor,
    fields: Iterable[str] | None = None,
    action: str = "update",
    organisation=None,
    full_clean: bool = False,
    masked: Mapping[str, Callable[[str], str]] | None = None,
    object_repr: str = "",
) -> Iterator[Update]:
    """The one audited update (after HackSoft's `model_update`): snapshot, let the block change the
    instance, (validate,) save, diff, and record the entry if anything changed — in the caller's
    transaction. An exception in the block saves and records nothing.

        with audit.updating(item, actor=actor, fields=ITEM_FIELDS, organisation=branch) as update:
            item.status = "done"
        if update.changes: ...

    `masked` ({field: mask function}, fields left out of `fields`): a sensitive value that changed is
    logged as the pages show it (e.g. "320902********0011"), never in the clear.
    """
    names = list(fields) if fields is not None else None
    before = snapshot(instance, names)
    hidden = {name: getattr(instance, name) for name in masked or {}}
    update = Update(lambda: diff(before, snapshot(instance, names)))
    yield update
    if full_clean:
        instance.full_clean()
    instance.save()
    changes = diff(before, snapshot(instance, names))
    for name, show in (masked or {}).items():
        old, new = hidden[name] or "", getattr(instance, name) or ""
        if old != new:
            changes[name] = [show(old) if old else None, show(new) if new else None]
    update.changes = changes
    if update.changes:
        record(actor=actor, action=action, obj=instance, object_repr=object_repr, organisation=organisation,
               changes=update.changes)


def update_audited(instance: models.Model, data: Mapping[str, Any], *, actor, fields: Iterable[str] | None = None,
                   action: str = "update", organisation=None, full_clean: bool = True) -> dict[str, list[Any]]:
    """Set `data` on the instance and save it through `updating`; returns the changes."""
    with updating(instance, actor=actor, fields=fields, action=action, organisation=organisation,
                  full_clean=full_clean) as update:
        for name, value in data.items():
            setattr(instance, name, value)
    return update.changes


def record_many(entries: list[AuditEntry]) -> None:
    """Bulk variant for imports: entries built by the caller, written in one query."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside transaction.atomic")
    AuditEntry.objects.bulk_create(entries)


# Each app owns its audit actions: `zhibu/<app>/audit_actions.py` holds `class Action(TextChoices)`
# with the Chinese label of every action it records; core collects them (add new actions there).
@functools.cache
def action_labels() -> dict[str, str]:
    from zhibu.core.hooks import app_modules

    labels: dict[str, str] = {}
    for module in app_modules("audit_actions"):
        for value, label in module.Action.choices:
            if labels.get(value, label) != label:
                raise ImproperlyConfigured(f"audit action {value!r} has two labels: {labels[value]!r}, {label!r}")
            labels[value] = label
    return labels


class _Labels(Mapping):
    """ACTION_LABELS: the collected labels, read when first used (after the apps are loaded)."""

    def __getitem__(self, key: str) -> str:
        return action_labels()[key]

    def __iter__(self):
        return iter(action_labels())

    def __len__(self) -> int:
        return len(action_labels())


ACTION_LABELS: Mapping[str, str] = _Labels()
