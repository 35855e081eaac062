"""The organisation's navigation bar: `{% load orgs_nav %}{% org_nav org as links %}`."""
from django import template
from django.urls import NoReverseMatch, reverse

from zhibu.orgs import access
from zhibu.orgs.navigation import BRANCH_NAV, DISTRICT_NAV

register = template.Library()


@register.simple_tag(takes_context=True)
def org_nav(context, org):
    """Links for the organisation's navigation bar that this user may follow."""
    request = context["request"]
    scope = access.get_scope(request)
    entries = BRANCH_NAV if org.kind in ("branch", "group") else DISTRICT_NAV
    links = []
    for label, name, need in entries:
        if not scope.can(org, need):
            continue
        try:
            url = reverse(name, kwargs={"org_id": org.pk})
        except NoReverseMatch:
            continue
        links.append({"label": label, "url": url, "active": request.path == url or (url != reverse("orgs:home", kwargs={"org_id": org.pk}) and request.path.startswith(url))})
    return links
