"""Writes of 党内统计: only the audit of an export that carries sensitive values (the tables are
computed from the records; nothing is entered here — 最多报一次, rules2.md §5)."""

from __future__ import annotations

from django.db import transaction

from zhibu.core import audit
from zhibu.orgs.models import Organisation
from zhibu.stats.audit_actions import Action


@transaction.atomic(durable=True)
def record_member_export(*, actor, branch: Organisation, count: int) -> None:
    """The national-system export holds ID numbers, phones and addresses in the clear: logged like a reveal."""
    audit.record(
        actor=actor,
        action=Action.EXPORT_MEMBERS,
        object_type="stats.NationalExport",
        object_repr=f"{branch} 党员信息（全国党员管理信息系统）",
        organisation=branch,
        changes={"rows": count},
    )
