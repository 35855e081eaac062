"""How the audit log page shows an entry: the object named by what it is (人员：张三), each change
with the field's Chinese label and readable values (所属支部：（空）→ 第一支部), never raw ids or
attribute names. Related objects are looked up once per page."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from zhibu.core.audit import ACTION_LABELS

EMPTY = "（空）"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

# Keys services record that are not fields of the object's model.
KEY_LABELS = {
    "rows": "行数",
    "items": "新增项目数",
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "kinds": "类别",
    "copied_from": "复制自",
    "sections": "章节数",
    "ical_token": "订阅地址",
    "plans_feed_token": "支部订阅地址",
    "field": "查看的字段",
    "transfer": "接转记录",
    "other_org": "对方组织",
    "role": "角色",
    "user": "账号",
    "reason": "理由",
    "rule": "依据",
    "step": "步骤",
    "person": "人员",
    "application": "申请日期",
    "received_on": "收到日期",
    "date": "日期",
    "assessor": "考察人",
    "planned": "计划数",
    "year": "年度",
    "kind": "类别",
    "name": "名称",
    "size": "大小（字节）",
    "pair": "谈话双方",
    "meeting": "会议",
    "ended_on": "离任日期",
    "active": "在册",
    "finalised_at": "定稿时间",
    "verified_on": "核对日期",
    "development_thought_report_months": "思想汇报频次（月）",
    "count": "数量",
    "file": "文件",
    "note": "备注",
    "done_on": "完成日期",
    "status": "状态",
    "amount": "金额",
    "month": "月份",
}
KEY_LABELS.update(
    {
        "branch": "支部",
        "candidate": "发展对象",
        "closed_by": "结账人",
        "created_at": "创建时间",
        "created_by": "创建人",
        "created_on": "创建日期",
        "done": "已完成",
        "meeting": "会议",
        "month_mask": "月份",
        "organisation": "组织",
        "parent": "上级组织",
        "plan": "计划",
        "recorded_at": "登记时间",
        "recorded_by": "登记人",
        "set_at": "设置时间",
        "set_by": "设置人",
        "title": "标题",
        "updated_at": "修改时间",
        "uploaded_at": "上传时间",
        "uploaded_by": "上传人",
        "half": "半年",
        "signin_token": "签到链接",
        "content_type": "记录类型",
        "object_id": "记录",
        "path": "路径",
    }
)
# Models whose verbose_name is still Django's English default.
MODEL_LABELS = {
    "orgs.Organisation": "组织",
    "orgs.Person": "人员",
    "orgs.Role": "账号角色",
    "orgs.CommitteePosition": "支委任职",
    "orgs.Transfer": "组织关系接转",
    "orgs.ForcedPasswordChange": "重置密码",
    "plans.Plan": "工作计划",
    "plans.PlanItem": "计划事项",
    "orglife.Meeting": "会议",
    "orglife.Attendance": "出勤",
    "orglife.Motion": "表决事项",
    "orglife.Attachment": "附件",
    "orglife.MakeUpTask": "补课",
    "orglife.HeartTalk": "谈心谈话",
    "orglife.BranchObligationConfig": "组织生活频次设置",
    "development.StepRecord": "发展步骤",
    "development.Link": "培养联系人",
    "development.ThoughtReport": "思想汇报",
    "development.Assessment": "考察",
    "development.Override": "书记放行",
    "development.Document": "发展材料",
    "development.DocTemplate": "文书模板",
    "development.AnnualQuota": "年度发展计划",
    "dues.DuesBase": "党费基数",
    "dues.LedgerEntry": "党费收缴",
    "dues.Remittance": "党费上缴",
    "dues.VoluntaryPayment": "自愿多交党费",
    "dues.MonthClosing": "党费结账",
    "dues.Payroll": "工资表",
}
# Words some services record as values.
VALUE_LABELS = {"regenerated": "已重新生成", "created": "已生成", "***": "（已隐藏）"}


@dataclass
class Change:
    label: str
    old: str | None  # None: a single value, not a change from old to new
    new: str


@dataclass
class Row:
    entry: Any
    action: str
    object: str
    changes: list[Change]


def _model(label: str):
    try:
        return apps.get_model(label) if label and "." in label else None
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:  # forward fields only
        if key in (f.name, f.attname):
            return f
    return None


# Keys whose two-element lists are lists, not [old, new].
LIST_KEYS = {"pair", "kinds"}


def _is_change(value: Any, key: str = "") -> bool:
    return isinstance(value, list) and len(value) == 2 and key not in LIST_KEYS


class _Names:
    """pk -> str(object) for the related objects a page of entries mentions (one query per model)."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[tuple, str] = {}

    def want(self, field, value):
        if field is not None and field.many_to_one and isinstance(value, (int, str)) and value not in ("", "***"):
            self.wanted[field.related_model].add(value)

    def load(self):
        for model, pks in self.wanted.items():
            clean = set()
            for pk in pks:
                try:
                    clean.add(model._meta.pk.to_python(pk))
                except Exception:  # noqa: BLE001 - a malformed stored value is shown as it is
                    continue
            for obj in model._base_manager.filter(pk__in=clean):
                self.names[(model, str(obj.pk))] = str(obj)

    def get(self, field, value):
        if field is not None and field.many_to_one:
            return self.names.get((field.related_model, str(value)))
        return None


def _value(value: Any, field, names: _Names, model) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    name = names.get(field, value)
    if name is not None:
        return name
    if field is not None and field.many_to_one:
        return f"{_kind(field.related_model._meta.label, field.related_model) or '记录'}（已删除）"
    if field is not None and field.choices:
        choices = dict(field.flatchoices)
        if value in choices:
            return str(choices[value])
    if isinstance(value, str):
        if value in VALUE_LABELS:
            return VALUE_LABELS[value]
        if model is not None and _field(model, value) is not None and not _CJK.search(value):
            return _label(value, model)  # e.g. which field was revealed
        if _ISO_DATE.match(value):
            return value
        if _ISO_DATETIME.match(value):
            try:
                return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                return value
        return value
    if isinstance(value, list):
        return "、".join(_value(v, field, names, model) for v in value) or EMPTY
    if isinstance(value, dict):
        return "；".join(f"{_label(k, None)}：{_value(v, None, names, model)}" for k, v in value.items())
    return str(value)


def _chinese(text) -> str | None:
    text = str(text)
    return text if _CJK.search(text) else None


def _label(key: str, model) -> str:
    field = _field(model, key)
    if field is None and key.endswith("_id"):
        field = _field(model, key[:-3])
    if field is not None:
        return _chinese(field.verbose_name) or KEY_LABELS.get(field.name, key)
    return KEY_LABELS.get(key, key)


def _kind(object_type: str, model) -> str:
    if model is not None and _chinese(model._meta.verbose_name):
        return str(model._meta.verbose_name)
    return MODEL_LABELS.get(object_type, "")


def _object(entry, model) -> str:
    kind = _kind(entry.object_type, model)
    name = entry.object_repr
    if kind and name and kind not in name:
        return f"{kind}：{name}"
    return name or kind or "—"


def describe(entries) -> list[Row]:
    """The rows of the audit log page for `entries` (a page of AuditEntry)."""
    entries = list(entries)
    names = _Names()
    plans = []
    for e in entries:
        model = _model(e.object_type)
        changes = e.changes if isinstance(e.changes, dict) else {"": e.changes}
        for key, value in changes.items():
            field = _field(model, key)
            for v in value if _is_change(value, key) else [value]:
                names.want(field, v)
        plans.append((e, model, changes))
    names.load()
    rows = []
    for e, model, changes in plans:
        items = []
        for key, value in changes.items():
            field = _field(model, key)
            label = _label(key, model) if key else "内容"
            if _is_change(value, key):
                items.append(
                    Change(label, _value(value[0], field, names, model), _value(value[1], field, names, model))
                )
            else:
                items.append(Change(label, None, _value(value, field, names, model)))
        rows.append(Row(e, ACTION_LABELS.get(e.action, e.action), _object(e, model), items))
    return rows
