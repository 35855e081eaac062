"""The audit log. Every service that writes calls `record` inside its own transaction, so the
change and its log entry commit or roll back together (after Zulip's RealmAuditLog)."""
from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

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


def record_many(entries: list[AuditEntry]) -> None:
    """Bulk variant for imports: entries built by the caller, written in one query."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside transaction.atomic")
    AuditEntry.objects.bulk_create(entries)


# What the audit log page shows for each action (unknown ones are shown as they are).
ACTION_LABELS = {
    "create": "新增", "update": "修改", "delete": "删除", "reveal": "查看敏感信息", "import": "导入", "export": "导出",
    "reverse": "冲正", "vote": "表决", "attendance": "登记出勤", "sign_in": "签到", "transfer_in": "组织关系转入",
    "transfer_out": "组织关系转出", "copy": "复制", "attach": "上传附件", "detach": "删除附件", "makeup_done": "补课销号",
    "link_record": "关联记录", "unlink_record": "取消关联", "grant_role": "授权", "end_term": "离任",
    "create_account": "开通账号", "add_missing_items": "补充缺项", "verify": "核对基数",
    "regenerate_ical_token": "重新生成订阅地址", "regenerate_branch_feed": "重新生成订阅地址",
    "create_branch_feed": "生成订阅地址",
    "development.open_file": "建立发展档案", "development.record_step": "登记发展步骤",
    "development.override": "书记放行", "development.assessment": "登记考察", "development.thought_report": "登记思想汇报",
    "development.thought_report_frequency": "设置思想汇报频次", "development.generate_document": "生成文书",
    "development.upload_template": "上传文书模板", "development.upload_document": "上传材料", "development.remove_template": "删除文书模板",
    "development.set_quota": "设置发展计划", "workdays.set_holiday": "设置节假日", "workdays.remove_holiday": "删除节假日",
    "workdays.set_year_complete": "确认年度节假日",
    "orglife.finalise": "会议记录定稿", "orglife.leave_request": "请假申请", "orglife.motion_edit": "修改表决",
    "orglife.motion_delete": "删除表决", "orglife.attendance_after_vote": "表决后更正出勤",
}
