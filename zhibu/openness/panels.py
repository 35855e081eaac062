"""Home-page panels: the branch's notices on the board and on their way and the mailbox's open and
late messages (1 query); the district's totals (2 queries)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.openness import rules
from zhibu.openness.models import Message, Notice
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind


def _message_counts(qs, today) -> dict:
    return qs.aggregate(
        open=Count("id", filter=~Q(status=rules.REPLIED)),
        late=Count("id", filter=~Q(status=rules.REPLIED) & Q(due_on__lt=today)),
    )


def _per_branch(qs, **filters):
    """The number of rows of `qs` for the outer branch, as a subquery (0 when there are none)."""
    rows = qs.filter(branch=OuterRef("pk"), **filters).order_by().values("branch").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows[:1]), Value(0))


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    unreplied = Message.objects.exclude(status=rules.REPLIED)
    row = (
        Organisation.objects.filter(pk=org.pk)
        .annotate(
            pending=_per_branch(Notice.objects.exclude(status=rules.PUBLISHED)),
            on_board=_per_branch(
                Notice.objects.all(), status=rules.PUBLISHED, starts_on__lte=today, ends_on__gte=today
            ),
            open=_per_branch(unreplied),
            late=_per_branch(unreplied, due_on__lt=today),
        )
        .values("pending", "on_board", "open", "late")
        .first()
    ) or {"pending": 0, "on_board": 0, "open": 0, "late": 0}
    return render_to_string(
        "openness/panel.html",
        {"org": org, "notices": row, "messages": row, "link": "openness:index"},
    )


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    notices = Notice.objects.filter(branch__path__startswith=org.path).aggregate(
        pending=Count("id", filter=~Q(status=rules.PUBLISHED)),
        on_board=Count("id", filter=Q(status=rules.PUBLISHED, starts_on__lte=today, ends_on__gte=today)),
    )
    counts = _message_counts(Message.objects.filter(branch__path__startswith=org.path), today)
    return render_to_string(
        "openness/panel.html",
        {
            "org": org,
            "notices": notices,
            "messages": counts,
            "link": "openness:district",
        },
    )
