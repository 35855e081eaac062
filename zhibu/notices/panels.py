"""Home-page panels: the branch's guide of the month, notices to sign and tasks open (2 queries);
the district's unread branches and answers to review (2 queries)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.notices import selectors
from zhibu.notices.models import Answer, AnswerState, Notice, Recipient, RecipientKind, Task
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind


def _count(qs):
    rows = qs.order_by().values("branch").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows[:1], output_field=IntegerField()), Value(0))


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH:
        return None
    scope = access.get_scope(request)
    if not scope.can(org, access.VIEW):
        return None
    today = clock.today()
    guide = selectors.guide_for(org, today.year, today.month)
    manager = scope.can(org, access.AUDIT)
    counts = {"unread": 0, "mine": 0, "tasks": 0}
    if manager:
        counts = (
            Organisation.objects.filter(pk=org.pk)
            .annotate(
                unread=_count(
                    Recipient.objects.filter(branch=OuterRef("pk"), kind=RecipientKind.BRANCH, read_at__isnull=True)
                ),
                mine=_count(
                    Recipient.objects.filter(branch=OuterRef("pk"), person__user=request.user, read_at__isnull=True)
                ),
                tasks=_count(
                    Answer.objects.filter(branch=OuterRef("pk"), state__in=[AnswerState.TODO, AnswerState.RETURNED])
                ),
            )
            .values("unread", "mine", "tasks")
            .first()
        ) or counts
    else:
        counts["mine"] = Recipient.objects.filter(branch=org, person__user=request.user, read_at__isnull=True).count()
    return render_to_string(
        "notices/panel.html",
        {
            "org": org,
            "guide": guide,
            "guide_kinds": selectors.kind_labels(guide.kinds) if guide else [],
            "counts": counts,
            "manager": manager,
            "district": False,
        },
    )


def district_panel(request, org) -> str | None:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP) or not access.get_scope(request).can(org, access.AUDIT):
        return None
    latest = (
        Notice.objects.filter(sender=org)
        .annotate(
            n_total=Count("recipients", filter=Q(recipients__kind=RecipientKind.BRANCH)),
            n_read=Count(
                "recipients", filter=Q(recipients__kind=RecipientKind.BRANCH, recipients__read_at__isnull=False)
            ),
        )
        .order_by("-sent_at", "-id")
        .first()
    )
    waiting = Answer.objects.filter(task__in=Task.objects.filter(district=org), state=AnswerState.SUBMITTED).count()
    return render_to_string("notices/panel.html", {"org": org, "latest": latest, "waiting": waiting, "district": True})
