"""The year-end pack's 三务公开台账 (discovered by the yearend app): the notices published in the year
(with their procedure dates), the mailbox's messages (never who wrote them) and the 民主恳谈会."""

from __future__ import annotations

from zhibu.core.xlsx import write_table
from zhibu.openness import rules
from zhibu.openness.models import Forum, Message, Notice


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    notices = list(
        Notice.objects.filter(branch=branch, status=rules.PUBLISHED, starts_on__year=year)
        .select_related("category", "branch")
        .order_by("starts_on", "id")
    )
    if notices:
        rows = [
            [
                n.channel_label(),
                n.category.name,
                n.title,
                n.get_scope_display(),
                n.proposed_on,
                n.reviewed_on,
                "是" if n.secrecy_checked else "否",
                n.approved_on,
                n.starts_on,
                n.ends_on,
            ]
            for n in notices
        ]
        out.append(
            (
                f"{branch.name}{year}年三务公开台账.xlsx",
                write_table(
                    f"{branch.name}{year}年三务公开台账",
                    [
                        "公开类别",
                        "公开内容",
                        "标题",
                        "公开范围",
                        "提出日期",
                        "审核日期",
                        "保密审查",
                        "审批日期",
                        "发布日期",
                        "公开截止日期",
                    ],
                    rows,
                ),
            )
        )
    msgs = list(
        Message.objects.filter(branch=branch, received_on__year=year)
        .select_related("assignee")
        .order_by("received_on", "id")
    )
    if msgs:
        rows = [
            [
                m.received_on,
                m.subject,
                "匿名" if m.anonymous else "署名",
                m.assignee.name if m.assignee else "",
                m.due_on,
                m.replied_on,
                m.get_status_display(),
                "是" if m.published else "否",
                "是" if m.rectify_item_id else "否",
            ]
            for m in msgs
        ]
        out.append(
            (
                f"{branch.name}{year}年信箱来信办理台账.xlsx",
                write_table(
                    f"{branch.name}{year}年信箱来信办理台账",
                    ["收到日期", "主题", "来信方式", "承办人", "答复期限", "答复日期", "状态", "公开问答", "转为整改"],
                    rows,
                ),
            )
        )
    forums = list(
        Forum.objects.filter(branch=branch, held_on__year=year)
        .prefetch_related("participants", "items")
        .order_by("held_on", "id")
    )
    if forums:
        rows = []
        for f in forums:
            people = "、".join(f"{p.name}（{p.identity}）" for p in f.participants.all())
            for item in f.items.all() or [None]:
                rows.append(
                    [
                        f.held_on,
                        f.topic,
                        people,
                        item.text if item else "",
                        item.answer if item else "",
                        "是" if item and item.rectify_item_id else "",
                    ]
                )
        out.append(
            (
                f"{branch.name}{year}年民主恳谈会台账.xlsx",
                write_table(
                    f"{branch.name}{year}年民主恳谈会台账",
                    ["日期", "主题", "参加人员", "意见建议", "答复或措施", "转为整改"],
                    rows,
                ),
            )
        )
    return out
