"""A password someone else set (the 书记's reset, a new account) must be replaced at the next login:
until then every page but the password page and logout redirects there. The flag is read from the
session (set at login from `ForcedPasswordChange`), so ordinary requests cost no query."""
from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

SESSION_FLAG = "zhibu_must_change_password"


def on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (connected in apps.py)."""
    from zhibu.orgs.models import ForcedPasswordChange

    if request is not None and hasattr(request, "session") and ForcedPasswordChange.objects.filter(user=user).exists():
        request.session[SESSION_FLAG] = True


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_FLAG):
            allowed = (reverse("orgs:password_change"), reverse("core:logout"), reverse("core:login"))
            if request.path not in allowed and not request.path.startswith("/static/") and request.user.is_authenticated:
                return redirect("orgs:password_change")
        return self.get_response(request)
