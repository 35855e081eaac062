"""`make bench` figures for notices: the district's 签阅 page of a notice sent to every demo branch and
the list of sent notices (fixed query counts whatever the number of branches)."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed
from zhibu.notices.models import Notice


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    out = []
    notice = Notice.objects.filter(sender=ctx.district).order_by("id").first()
    pages = [("notices_district", reverse("notices:district", kwargs={"org_id": ctx.district.pk}))]
    if notice is not None:
        pages.append(
            ("notices_reads", reverse("notices:sent", kwargs={"org_id": ctx.district.pk, "notice_id": notice.pk}))
        )
    for name, url in pages:
        client.get(url)  # warm
        out.append(figure(f"{name}_queries", count_queries(lambda u=url: client.get(u)), "queries", 20))
        out.append(figure(f"{name}_ms", timed(lambda u=url: client.get(u), repeat=3) * 1000, "ms", 2000))
    return out
