"""Every openness URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py).

The public pages are reached through the branch's secret link, without login, by design; each with
its reason (tests/test_public.py checks they show no personal data and refuse what they must)."""

import datetime as dt

PUBLIC = {
    "openness:public_board": "公开栏：只列“向社会公开”且在公开期内的事项和已公开的问答，不含个人信息",
    "openness:public_notice": "单条向社会公开的事项；其他范围的事项一律404",
    "openness:mailbox": "园长信箱/意见箱：任何持有公开链接的人可写信（可匿名），限频、防垃圾",
    "openness:track": "凭查询码查看本人来信的答复；伪造的查询码查不到任何内容，限频",
}


def cases(cast):
    from zhibu.core import clock
    from zhibu.openness.models import BranchLink, Category, Forum, Message, Notice
    from zhibu.openness.rules import code_digest

    b = cast.branch.pk
    notice = Notice.objects.create(
        branch=cast.branch,
        channel="finance",
        category=Category.objects.get(code="fees"),
        scope="members",
        title="收费项目公示",
        body="保育费标准",
        proposed_by=cast.committee,
    )
    BranchLink.objects.create(branch=cast.branch)
    message = Message.objects.create(
        branch=cast.branch,
        subject="午餐",
        body="建议增加水果",
        code_digest=code_digest("TEST-CODE-0001"),
        due_on=clock.today() + dt.timedelta(days=7),
    )
    forum = Forum.objects.create(branch=cast.branch, held_on=dt.date(2026, 2, 1), topic="家园共育恳谈会")
    return {
        "openness:index": {"org_id": b},
        "openness:archive": {"org_id": b},
        "openness:notice_new": {"org_id": b},
        "openness:notice": {"org_id": b, "notice_id": notice.pk},
        "openness:notice_edit": {"org_id": b, "notice_id": notice.pk},
        "openness:notice_step": {"org_id": b, "notice_id": notice.pk, "step": "review"},
        "openness:dues_draft": {"org_id": b},
        "openness:link": {"org_id": b},
        "openness:messages": {"org_id": b},
        "openness:message": {"org_id": b, "message_id": message.pk},
        "openness:message_act": {"org_id": b, "message_id": message.pk},
        "openness:forums": {"org_id": b},
        "openness:forum": {"org_id": b, "forum_id": forum.pk},
        "openness:forum_act": {"org_id": b, "forum_id": forum.pk},
        "openness:district": {"org_id": b},
        "openness:catalog": {"org_id": b},
    }
