"""The notification interface: configured backends, the webhook with a fake transport (no network),
the recording backend, send_once going through it."""

import json
import logging

import pytest

from zhibu.core import notify
from zhibu.core.models import Notification


class FakeTransport:
    def __init__(self, status=200, fail=False):
        self.calls, self.status, self.fail = [], status, fail

    def __call__(self, url, data, headers, timeout):
        self.calls.append((url, json.loads(data.decode()), headers, timeout))
        if self.fail:
            raise OSError("gateway down")
        return self.status


def test_default_backends_are_in_app_and_email(settings):
    del settings.ZHIBU_NOTIFY_BACKENDS
    assert [b.name for b in notify.backends()] == ["in_app", "email"]


def test_send_once_goes_through_every_backend_once(cast, settings, mailoutbox, django_capture_on_commit_callbacks):
    cast.secretary.email = "sec@example.cn"
    cast.secretary.save()
    fake = FakeTransport()
    settings.ZHIBU_NOTIFY_BACKENDS = [
        "zhibu.core.notify.InAppBackend",
        "zhibu.core.notify.EmailBackend",
        ("zhibu.core.notify.WebhookBackend", {"url": "https://gateway.invalid/hook", "transport": fake}),
        "zhibu.core.notify.RecordingBackend",
    ]
    notify.outbox.clear()
    reminder = notify.Reminder(
        key="t:1", users=(cast.secretary, cast.member), title="请签阅", body="正文", organisation=cast.branch
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_once(reminder) is True
        assert notify.send_once(reminder) is False
    assert Notification.objects.count() == 2 and len(mailoutbox) == 1
    assert len(fake.calls) == 1 and len(notify.outbox) == 1
    url, body, headers, _timeout = fake.calls[0]
    assert (
        url == "https://gateway.invalid/hook"
        and body["title"] == "请签阅"
        and body["text"]["content"].startswith("请签阅")
    )
    assert [r["username"] for r in body["recipients"]] == ["secretary", "member"]
    assert headers["Content-Type"].startswith("application/json")
    notify.outbox.clear()


@pytest.mark.parametrize("fake", [FakeTransport(fail=True), FakeTransport(status=500)])
def test_a_failing_webhook_is_logged_never_raised(cast, settings, caplog, fake, django_capture_on_commit_callbacks):
    settings.ZHIBU_NOTIFY_BACKENDS = [
        "zhibu.core.notify.InAppBackend",
        ("zhibu.core.notify.WebhookBackend", {"url": "https://gateway.invalid/hook", "transport": fake}),
    ]
    with caplog.at_level(logging.ERROR, logger="zhibu.core.notify"), django_capture_on_commit_callbacks(execute=True):
        counts = notify.send(notify.Message(title="测试"), [cast.secretary])
    assert counts == {"in_app": 1, "webhook": 0}
    assert "webhook" in caplog.text and Notification.objects.count() == 1


def test_external_backends_wait_for_the_commit(cast, settings, django_capture_on_commit_callbacks):
    from django.db import transaction

    settings.ZHIBU_NOTIFY_BACKENDS = ["zhibu.core.notify.InAppBackend", "zhibu.core.notify.RecordingBackend"]
    fake = FakeTransport()
    settings.ZHIBU_NOTIFY_BACKENDS.append(
        ("zhibu.core.notify.WebhookBackend", {"url": "https://gateway.invalid/hook", "transport": fake})
    )
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify.send(notify.Message(title="事务内"), [cast.secretary])
            assert fake.calls == []
    assert len(fake.calls) == 1
    notify.outbox.clear()
