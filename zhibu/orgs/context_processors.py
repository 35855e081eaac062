from django.contrib import messages

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.core.forms import PeriodQueryForm
from zhibu.core.models import Notification
from zhibu.orgs.models import Organisation


def navigation(request):
    """The branch and the year the navigation shows. Computed once per request: panels rendered
    with the request run context processors again."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    cached_nav = getattr(request, "_zhibu_nav", None)
    if cached_nav is not None:
        return cached_nav
    request._zhibu_nav = _navigation(request)
    return request._zhibu_nav


def _navigation(request):
    match = getattr(request, "resolver_match", None)
    org_id = match.kwargs.get("org_id") if match else None
    current = None
    cached = getattr(request, "_zhibu_org", None)
    if cached is not None and cached.pk == org_id:
        current = cached
    elif org_id:
        current = Organisation.objects.filter(pk=org_id).only("id", "name", "kind", "path", "parent_id").first()
        if current is not None and not access.get_scope(request).can(current):
            current = None
    year, _month, message = PeriodQueryForm.period(request.GET)
    if message and ("year" in request.GET or "month" in request.GET):
        # Views fall back to the default period (their parsers are bounded); this says why.
        messages.warning(request, f"查询的年月有误：{message}已显示默认期间。")
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    # A district admin looking at a branch gets a way back up (the parent came with get_org).
    parent = None
    if current is not None and current.parent_id and Organisation._meta.get_field("parent").is_cached(current):
        if access.get_scope(request).can(current.parent):
            parent = current.parent
    return {"nav_org": current, "nav_parent": parent, "nav_year": year, "nav_today": clock.today(), "nav_unread": unread}
