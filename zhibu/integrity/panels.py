"""Home-page panel: what the signed-in person still has to confirm or sign, and for those who read
the branch's records the year's 师德承诺 signing progress — one query (four counted subqueries)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.integrity.models import Commitment, DutyList
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind


def _count(qs) -> Coalesce:
    sub = qs.filter(branch=OuterRef("pk")).order_by().values("branch").annotate(c=Count("id")).values("c")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not request.user.is_authenticated:
        return None
    year = clock.today().year
    own = Q(person__user=request.user, signed_at__isnull=True)
    row = (
        Organisation.objects.filter(pk=org.pk)
        .annotate(
            duties=_count(DutyList.objects.filter(own)),
            commitments=_count(Commitment.objects.filter(own)),
            issued=_count(Commitment.objects.filter(year=year)),
            signed=_count(Commitment.objects.filter(year=year, signed_at__isnull=False)),
        )
        .values("duties", "commitments", "issued", "signed")
        .first()
    ) or {}
    unsigned = (row.get("duties") or 0) + (row.get("commitments") or 0)
    managers = access.get_scope(request).can(org, access.AUDIT)
    if not unsigned and not (managers and row.get("issued")):
        return None
    return render_to_string(
        "integrity/panel.html",
        {"org": org, "unsigned": unsigned, "managers": managers, "row": row, "year": year},
    )
