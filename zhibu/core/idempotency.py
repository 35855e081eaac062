"""Every form, once: a double click, the back button and a resubmission, or a retried request never
write twice.

Each rendered POST form carries a hidden `_once` token, added by `static/zhibu/forms.js` when the page
loads (so every form in every app has one without template changes; htmx forms get a fresh token
after each request). `OnceMiddleware` writes the token to `SubmissionKey` in its own transaction
*before* the view runs:

- the first submission goes through; where it was redirected is stored with the key;
- a later submission with the same token is not passed to the view: it is sent where the first one
  went, with a message saying nothing was saved twice;
- a submission that arrives while the first is still being handled (a double click, parallel
  requests) waits on the unique key and is refused with 409;
- if the view raised, the key is released so that the user can submit again.

A form posted without a token (an API client, a test) is handled as before; natural unique
constraints in each app cover the cases a token cannot see (two tabs, two people).
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from zhibu.core import clock

FIELD = "_once"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP = dt.timedelta(days=2)

DUPLICATE_MESSAGE = (
    "这份表单已经提交过（可能是重复点击，或返回后再次提交），没有重复保存。如需再填一份，请重新打开页面。"
)
PENDING_MESSAGE = "上一次提交正在处理，请勿重复点击。稍候刷新页面查看结果。"


def _token(request) -> str | None:
    if request.method != "POST":
        return None
    value = request.POST.get(FIELD, "")
    return value if _TOKEN.match(value) else None


def purge_old(*, now: dt.datetime | None = None) -> int:
    """Forget tokens older than two days (run by `zhibu remind`)."""
    from zhibu.core.models import SubmissionKey

    cutoff = (now or clock.now()) - KEEP
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class OnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _token(request)
        if token is None:
            return self.get_response(request)
        from zhibu.core.models import SubmissionKey

        user_id = (
            request.user.pk if getattr(request, "user", None) is not None and request.user.is_authenticated else None
        )
        try:
            with transaction.atomic():
                row = SubmissionKey.objects.create(
                    key=token, user_id=user_id, path=request.path[:300], created_at=clock.now()
                )
        except IntegrityError:
            return self._duplicate(request, token, user_id)
        try:
            response = self.get_response(request)
        except Exception:
            SubmissionKey.objects.filter(pk=row.pk).delete()
            raise
        if response.status_code >= 500:
            SubmissionKey.objects.filter(pk=row.pk).delete()
            return response
        location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
        if not location and response.get("HX-Redirect"):
            location = response["HX-Redirect"]
        SubmissionKey.objects.filter(pk=row.pk).update(done=True, location=location[:500])
        return response

    def _duplicate(self, request, token: str, user_id: int | None):
        from zhibu.core.models import SubmissionKey

        first = SubmissionKey.objects.filter(key=token).first()
        if first is None or first.user_id != user_id or first.path != request.path[:300] or not first.done:
            html = render_to_string("core/once_pending.html", {"message": PENDING_MESSAGE}, request=request)
            return HttpResponse(html, status=409)
        target = first.location or request.path
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = request.path
        messages.warning(request, DUPLICATE_MESSAGE)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
