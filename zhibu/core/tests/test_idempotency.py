"""Every form, once: the `_once` token makes a repeated submission a no-op (zhibu/core/idempotency.py),
and concurrent submissions never give a 500 on SQLite or PostgreSQL."""
import datetime as dt
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar

import pytest
from django.urls import reverse

from zhibu.core import clock, idempotency
from zhibu.core.models import AuditEntry, SubmissionKey


def _token() -> str:
    return uuid.uuid4().hex


def test_it_sends_a_repeated_submission_where_the_first_went_without_calling_the_view(client_for, cast):
    c = client_for("secretary")
    url = reverse("core:notifications")
    calls = []
    from zhibu.core import idempotency as mod

    token = _token()
    first = c.post(url, {"_once": token}, follow=False)
    second = c.post(url, {"_once": token}, follow=False)
    assert first.status_code in (200, 302, 405)
    row = SubmissionKey.objects.get(key=token)
    assert row.done and row.user_id == cast.secretary.pk
    assert second.status_code == 302
    assert second["Location"] == (row.location or url)
    page = c.get(second["Location"])
    assert "没有重复保存" in page.content.decode()
    assert calls == [] and mod.FIELD == "_once"


def test_it_ignores_forms_without_a_token_and_junk_tokens(client_for):
    c = client_for("secretary")
    url = reverse("core:notifications")
    c.post(url, {})
    c.post(url, {"_once": "not-a-token"})
    c.post(url, {"_once": "x" * 5000})
    assert SubmissionKey.objects.count() == 0


def test_it_refuses_another_users_token(client_for, cast):
    token = _token()
    client_for("secretary").post(reverse("core:notifications"), {"_once": token})
    response = client_for("committee").post(reverse("core:notifications"), {"_once": token})
    assert response.status_code == 409
    assert "正在处理" in response.content.decode()


def test_it_releases_the_key_when_the_view_fails(client_for, monkeypatch):
    from zhibu.core import views

    c = client_for("secretary")
    c.raise_request_exception = False
    token = _token()

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(idempotency.OnceMiddleware, "__init__", lambda self, get_response: setattr(self, "get_response", boom))
    from django.test import RequestFactory

    request = RequestFactory().post("/x/", {"_once": token})
    request.user = cast_user = None  # noqa: F841
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    mw = idempotency.OnceMiddleware(boom)
    with pytest.raises(RuntimeError):
        mw(request)
    assert not SubmissionKey.objects.filter(key=token).exists()
    assert views  # imported for its side effects only


def test_old_keys_are_purged(db):
    now = clock.now()
    SubmissionKey.objects.create(key=_token(), path="/", created_at=now - dt.timedelta(days=3))
    fresh = SubmissionKey.objects.create(key=_token(), path="/", created_at=now)
    assert idempotency.purge_old(now=now) == 1
    assert list(SubmissionKey.objects.all()) == [fresh]


def test_every_page_loads_the_forms_script(client_for, cast):
    page = client_for("secretary").get(reverse("orgs:home", args=[cast.branch.pk])).content.decode()
    assert "zhibu/forms" in page and ".js" in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_form_never_fail_and_write_once(live_server):
    """Ten parallel POSTs of one form render (one token) and ten of fresh renders at a real server:
    no 500 ("database is locked" on SQLite), one person for the repeated token, one per fresh one."""
    from zhibu.orgs.testing import make_cast
    from zhibu.orgs.models import Person

    cast = make_cast()
    cast.secretary.set_password("test-pass-123")
    cast.secretary.save()
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    login_url = live_server.url + reverse("core:login")
    opener.open(login_url).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({"username": cast.secretary.username, "password": "test-pass-123", "csrfmiddlewaretoken": csrf}).encode()
    assert _open(opener, login_url, body, referer=login_url) == 302
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    url = live_server.url + reverse("orgs:person_create", args=[cast.branch.pk])
    shared = _token()
    statuses: list[int] = []
    lock = threading.Lock()

    def post(token, name):
        data = urllib.parse.urlencode({"_once": token, "csrfmiddlewaretoken": csrf, "name": name, "gender": "女",
                                       "standing": "masses", "employment": "in_service"}).encode()
        status = _open(opener, url, data, referer=url)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=post, args=(shared, "并发重复")) for _ in range(10)]
    threads += [threading.Thread(target=post, args=(_token(), f"并发{i}号")) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert len(statuses) == 20
    assert all(s < 500 for s in statuses), statuses
    assert Person.objects.filter(name="并发重复").count() == 1
    assert Person.objects.filter(name__startswith="并发", name__endswith="号").count() == 10
    assert SubmissionKey.objects.filter(key=shared).count() == 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(opener, url, data, referer):
    request = urllib.request.Request(url, data=data, headers={"Referer": referer})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
