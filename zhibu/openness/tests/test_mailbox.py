"""The mailbox from the outside: anyone with the link writes; anonymous keeps nothing about the
writer (every column checked); the code shows the reply; floods, spam, oversize and HTML-laden text
and forged codes get a clear Chinese answer, lose nothing typed and execute nothing."""

import datetime as dt

from django.db import models
from django.test import Client
from django.urls import reverse

from zhibu.core import clock
from zhibu.openness import rules, services
from zhibu.openness.models import Message
from zhibu.openness.tests.helpers import link as make_link

ADDRESS = "203.0.113.77"


def _post(client, link, **data):
    form = {
        "subject": "午餐",
        "body": "建议每周增加一次水果供应。",
        "anonymous": "on",
        "name": "",
        "contact": "",
        "website": "",
    }
    form.update(data)
    return client.post(
        reverse("openness:mailbox", kwargs={"token": link.token}),
        form,
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone) 测试浏览器",
    )


def _code(response) -> str:
    html = response.content.decode()
    start = html.index('id="tracking-code">') + len('id="tracking-code">')
    return html[start : html.index("<", start)]


def test_an_anonymous_message_stores_nothing_about_its_writer(cast):
    link = make_link(cast)
    client = Client()
    response = _post(client, link, name="张三家长", contact="13912345678")
    assert response.status_code == 200
    code = _code(response)
    m = Message.objects.get()
    assert m.anonymous and m.name == "" and m.contact == ""
    # Every column of the row: nothing of the address, the browser, the name or contact typed, the code.
    for f in Message._meta.concrete_fields:
        value = str(getattr(m, f.attname) or "")
        for secret in (ADDRESS, "iPhone", "张三", "13912345678", code):
            assert secret not in value, f"{f.name} holds {secret}"
        if isinstance(f, models.ForeignKey):
            assert f.name in ("branch", "assignee", "replied_by")
    assert m.code_digest == rules.code_digest(code)
    from zhibu.core.models import AuditEntry, LoginThrottle

    entry = AuditEntry.objects.get(action="openness.receive")
    assert entry.actor_id is None and ADDRESS not in str(entry.changes)
    assert not LoginThrottle.objects.filter(key__contains=ADDRESS).exists()


def test_a_named_message_keeps_name_and_contact(cast):
    link = make_link(cast)
    _post(Client(), link, anonymous="", name="李老师", contact="内线 8001")
    m = Message.objects.get()
    assert not m.anonymous and m.name == "李老师" and m.contact == "内线 8001"


def test_the_code_shows_the_reply_and_a_forged_code_finds_nothing(cast):
    link = make_link(cast)
    client = Client()
    code = _code(_post(client, link))
    m = Message.objects.get()
    track = reverse("openness:track", kwargs={"token": link.token})
    response = client.post(track, {"code": code.lower()})
    assert response.status_code == 200 and "正在办理" in response.content.decode()
    services.reply(actor=cast.secretary, message=m, text="已与食堂沟通，下周起每周两次水果。")
    response = client.post(track, {"code": code})
    assert "下周起每周两次水果" in response.content.decode()
    for forged in ("AAAA-BBBB-CCCC", "<script>alert(1)</script>", "' OR 1=1 --", "x" * 29):
        response = client.post(track, {"code": forged})
        body = response.content.decode()
        assert response.status_code in (400, 404) and "下周起" not in body
        assert "<script>alert(1)</script>" not in body
    # The same code on another branch's link finds nothing.
    from zhibu.openness.models import BranchLink

    other = BranchLink.objects.create(branch=cast.other_branch)
    response = client.post(reverse("openness:track", kwargs={"token": other.token}), {"code": code})
    assert response.status_code == 404


def test_html_is_shown_escaped_and_oversize_text_is_refused_with_the_text_kept(cast):
    link = make_link(cast)
    client = Client()
    code = _code(
        _post(client, link, subject="<b>粗体</b>", body="<script>alert('x')</script>请改进<img src=x onerror=1>")
    )
    m = Message.objects.get()
    services.reply(actor=cast.secretary, message=m, text="<i>收到</i>", publish=True)
    page = client.get(reverse("openness:public_board", kwargs={"token": link.token})).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;i&gt;收到&lt;/i&gt;" in page
    body = client.post(reverse("openness:track", kwargs={"token": link.token}), {"code": code}).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body
    long_text = "很长的意见" * 500
    response = _post(client, link, body=long_text)
    html = response.content.decode()
    assert response.status_code == 400 and "2000" in html and long_text in html  # nothing lost
    assert Message.objects.count() == 1


def test_spam_is_refused_in_chinese(cast):
    link = make_link(cast)
    client = Client()
    response = _post(client, link, body="优惠 http://a.com http://b.com http://c.com 快来")
    assert response.status_code == 400 and "网址过多" in response.content.decode()
    response = _post(client, link, website="http://robot.example")
    assert response.status_code == 400 and "提交未成功" in response.content.decode()
    assert not Message.objects.exists()


def test_a_flood_is_rate_limited_and_the_text_stays_in_the_form(cast):
    link = make_link(cast)
    client = Client()
    statuses = [
        _post(client, link, body=f"第{i}条意见：请改进午餐。").status_code for i in range(rules.SENDER_LIMIT + 2)
    ]
    assert statuses[: rules.SENDER_LIMIT] == [200] * rules.SENDER_LIMIT
    response = _post(client, link, body="被限制时写的内容")
    assert response.status_code == 429
    html = response.content.decode()
    assert "请15分钟后再试" in html and "被限制时写的内容" in html
    assert Message.objects.count() == rules.SENDER_LIMIT


def test_tracking_look_ups_are_rate_limited(cast):
    link = make_link(cast)
    client = Client()
    track = reverse("openness:track", kwargs={"token": link.token})
    for _ in range(rules.TRACK_LIMIT):
        assert client.post(track, {"code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR=ADDRESS).status_code == 404
    response = client.post(track, {"code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()


def test_a_closed_mailbox_and_an_unknown_link(cast):
    link = make_link(cast, mailbox_open=False)
    response = _post(Client(), link)
    assert response.status_code == 400 and "信箱暂未开放" in response.content.decode()
    assert Client().get("/gk/" + "x" * 24 + "/mailbox/").status_code == 404


def test_the_committee_assigns_replies_publishes_and_raises_a_rectify_item(cast, client_for):
    link = make_link(cast, reply_days=5)
    with clock.frozen(dt.date(2026, 3, 1)):
        _post(Client(), link)
        m = Message.objects.get()
        assert m.due_on == dt.date(2026, 3, 6)
        c = client_for("secretary")
        act = reverse("openness:message_act", kwargs={"org_id": cast.branch.pk, "message_id": m.pk})
        c.post(act, {"do": "assign", "assignee": cast.committee_person.pk})
        c.post(act, {"do": "reply", "text": "已安排。", "publish": "on"})
        c.post(
            act,
            {
                "do": "rectify",
                "problem": "午餐水果不足",
                "deadline": "2026-04-01",
                "responsible": cast.committee_person.pk,
            },
        )
    m.refresh_from_db()
    assert m.assignee == cast.committee_person and m.status == "replied" and m.published and m.rectify_item_id
    from zhibu.rectify.models import Item

    item = Item.objects.get(pk=m.rectify_item_id)
    assert item.source.code == "mailbox" and item.link == m
    page = Client().get(reverse("openness:public_board", kwargs={"token": link.token})).content.decode()
    assert "已安排。" in page


def test_late_messages_are_reminded_and_shown(cast, client_for):
    from zhibu.openness import reminders

    link = make_link(cast)
    with clock.frozen(dt.date(2026, 3, 1)):
        _post(Client(), link)
    m = Message.objects.get()
    keys = {r.key: r for r in reminders.collect(m.due_on + dt.timedelta(days=1))}
    key = f"openness:late:message={m.pk}:due={m.due_on}"
    assert key in keys and cast.secretary in keys[key].users
    assert f"openness:due:message={m.pk}:due={m.due_on}" in {r.key for r in reminders.collect(m.due_on)}
    with clock.frozen(m.due_on + dt.timedelta(days=1)):
        page = client_for("secretary").get(reverse("openness:messages", kwargs={"org_id": cast.branch.pk}))
    assert "超过答复期限 1 件" in page.content.decode()


def test_empty_posts_get_a_chinese_answer_even_when_closed_or_limited(cast, client_for):
    link = make_link(cast, mailbox_open=False)
    client = Client()
    response = client.post(reverse("openness:mailbox", kwargs={"token": link.token}))
    assert response.status_code == 400 and "信箱暂未开放" in response.content.decode()
    track = reverse("openness:track", kwargs={"token": link.token})
    for _ in range(rules.TRACK_LIMIT):
        client.post(track)
    response = client.post(track)
    assert response.status_code == 429 and "查询过于频繁" in response.content.decode()
    response = client_for("secretary").post(reverse("openness:link", kwargs={"org_id": cast.branch.pk}))
    assert response.status_code == 400 and "请选择要办理的事项" in response.content.decode()
