"""Sign-in, the start page, the audit log and one's own records."""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhibu.core import access
from zhibu.core.forms import LoginForm
from zhibu.core.models import AuditEntry, Notification


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their organisation; a user with several chooses."""
    orgs = list(access.visible_orgs(request).exclude(kind="group").order_by("path")[:50])
    scope = access.get_scope(request)
    top = [o for o in orgs if any(o.id == org_id for org_id, _p, _r in scope.roles)] or orgs
    if len(top) == 1:
        return redirect("orgs:home", org_id=top[0].pk)
    return render(request, "core/home.html", {"orgs": top})


@login_required
def audit_log(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    entries = AuditEntry.objects.filter(organisation=org).select_related("actor").order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"org": org, "page": page})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notifications; opening the page marks them read."""
    from zhibu.core import services

    items = list(Notification.objects.filter(user=request.user).select_related("organisation")[:100])
    services.mark_notifications_read(user=request.user)
    return render(request, "core/notifications.html", {"items": items})
