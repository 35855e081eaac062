"""Objects of every kind in the cast's branch, made directly (tests of the views and access)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def make_all(cast):
    from zhibu.care.models import (
        Campaign,
        CampaignPerson,
        CareFlag,
        JointActivity,
        ModelPost,
        Pair,
        PairKind,
        Participation,
        Partner,
        Visit,
        VolunteerActivity,
    )

    b = cast.branch
    people = cast.people
    flag = CareFlag.objects.create(branch=b, person=people[6], kind="hardship", since=dt.date(2025, 1, 1))
    CareFlag.objects.create(branch=b, person=people[7], kind="frail", since=dt.date(2025, 1, 1))
    campaign = Campaign.objects.create(
        branch=b,
        kind="spring",
        year=2026,
        title="2026年元旦春节走访慰问",
        due=dt.date(2026, 2, 16),
        flags=["hardship", "frail"],
    )
    CampaignPerson.objects.create(campaign=campaign, person=people[6], reason="生活困难")
    CampaignPerson.objects.create(campaign=campaign, person=people[7], reason="失能/年老体弱")
    Visit.objects.create(
        campaign=campaign,
        branch=b,
        person=people[6],
        visited_on=dt.date(2026, 1, 20),
        visitors="王书记",
        gifts="米、油",
        amount=Decimal("500"),
        fund="dues",
    )
    pair = Pair.objects.create(
        branch=b,
        member=people[2],
        kind=PairKind.objects.get(code="staff"),
        partner=people[10],
        started_on=dt.date(2025, 9, 1),
    )
    activity = VolunteerActivity.objects.create(branch=b, title="社区清洁", date=dt.date(2026, 2, 10))
    Participation.objects.create(activity=activity, person=people[2], hours=Decimal("2"))
    post = ModelPost.objects.create(branch=b, year=2026, name="保教示范岗", holder=people[3], commitment="做好保教工作")
    partner = Partner.objects.create(branch=b, name="阳光社区党委", since=dt.date(2025, 1, 1))
    JointActivity.objects.create(partner=partner, date=dt.date(2026, 1, 5), title="共建座谈")
    return {"flag": flag, "campaign": campaign, "pair": pair, "activity": activity, "post": post, "partner": partner}
