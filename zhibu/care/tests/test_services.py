"""Writes of 关怀与共建: who is on a campaign's list, visits closing it, pairs, hours, posts, partners;
refusals carry a code and write nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhibu.care import selectors, services
from zhibu.care.models import Campaign, CareFlag, Pair, PairKind, Visit
from zhibu.core import clock
from zhibu.core.models import AuditEntry

TODAY = dt.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def _codes(exc) -> set[str]:
    err = exc.value
    if hasattr(err, "error_dict"):
        return {e.code for errs in err.error_dict.values() for e in errs}
    return {e.code for e in err.error_list}


def flag(cast, person, kind="hardship", **kw):
    return services.set_flag(
        actor=cast.secretary,
        branch=cast.branch,
        person=person,
        kind=kind,
        since=kw.pop("since", dt.date(2026, 1, 1)),
        **kw,
    )


def test_a_spring_campaign_lists_the_flagged_and_closes_when_all_are_visited(cast):
    a, b, c = cast.people[5], cast.people[6], cast.people[7]
    flag(cast, a, "hardship")
    flag(cast, b, "veteran")
    flag(cast, b, "ill")
    flag(cast, cast.people[4], "hardship", since=dt.date(2026, 1, 1))
    services.end_flag(actor=cast.secretary, flag=CareFlag.objects.get(person=cast.people[4]), until=dt.date(2026, 6, 1))
    campaign = services.start_campaign(actor=cast.secretary, branch=cast.branch, kind="spring", year=2027)
    assert campaign.due == dt.date(2027, 2, 5) and campaign.title == "2027年元旦春节走访慰问"
    view = selectors.campaign_view(campaign)
    assert [r.target.person for r in view.rows] == sorted([a, b], key=lambda p: p.name)
    assert "老党员" in next(r.target.reason for r in view.rows if r.target.person == b)
    flag(cast, c, "frail")
    assert services.refresh_targets(actor=cast.secretary, campaign=campaign) == [c.name]
    for person in (a, b):
        services.record_visit(
            actor=cast.secretary,
            campaign=campaign,
            person=person,
            visited_on=TODAY,
            visitors="王书记、李组织",
            gifts="米、油",
            amount=Decimal("500"),
            fund="dues",
        )
    assert Campaign.objects.get(pk=campaign.pk).closed_on is None
    services.record_visit(actor=cast.committee, campaign=campaign, person=c, visited_on=TODAY, visitors="李组织")
    campaign.refresh_from_db()
    assert campaign.closed_on == TODAY
    assert AuditEntry.objects.filter(action="care.close", object_id=str(campaign.pk)).count() == 1
    assert selectors.campaign_view(campaign).total_amount == Decimal("1000")


def test_visit_refusals(cast):
    flag(cast, cast.people[5])
    campaign = services.start_campaign(actor=cast.secretary, branch=cast.branch, kind="spring", year=2027)
    base = {
        "actor": cast.secretary,
        "campaign": campaign,
        "person": cast.people[5],
        "visited_on": TODAY,
        "visitors": "王书记",
    }
    before = AuditEntry.objects.count()
    cases = [
        ({"person": cast.people[3]}, "not_on_list"),
        ({"visited_on": TODAY + dt.timedelta(days=1)}, "visit_in_future"),
        ({"amount": Decimal(-5), "fund": "dues"}, "amount_negative"),
        ({"amount": Decimal(500)}, "fund_required"),
        ({"fund": "lottery"}, "unknown_fund"),
        ({"visitors": "  "}, "visitors_required"),
    ]
    for change, code in cases:
        with pytest.raises(ValidationError) as exc:
            services.record_visit(**{**base, **change})
        assert code in _codes(exc), change
    assert AuditEntry.objects.count() == before and not Visit.objects.exists()
    services.record_visit(**base)
    with pytest.raises(ValidationError) as exc:
        services.record_visit(**base)
    assert "visited_already" in _codes(exc)


def test_campaign_refusals(cast):
    services.start_campaign(actor=cast.secretary, branch=cast.branch, kind="july1", year=2026)
    for kw, code in [
        ({"kind": "july1", "year": 2026}, "campaign_exists"),
        ({"kind": "spring", "year": 2030}, "year_implausible"),
        ({"kind": "xx", "year": 2026}, "unknown_campaign_kind"),
        ({"kind": "spring", "year": 2027, "flags": []}, "no_flags"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.start_campaign(actor=cast.secretary, branch=cast.branch, **kw)
        assert code in _codes(exc)
    with pytest.raises(ValidationError) as exc:
        services.start_campaign(actor=cast.secretary, branch=cast.district, kind="spring", year=2027)
    assert "not_branch" in _codes(exc)


def test_flags_once_and_only_for_own_people(cast):
    flag(cast, cast.people[5])
    with pytest.raises(ValidationError) as exc:
        flag(cast, cast.people[5])
    assert "flag_exists" in _codes(exc)
    with pytest.raises(ValidationError) as exc:
        flag(cast, cast.outsider_person)
    assert "person_elsewhere" in _codes(exc)
    with pytest.raises(ValidationError) as exc:
        flag(cast, cast.people[6], "nonsense")
    assert "unknown_flag" in _codes(exc)
    with pytest.raises(ValidationError) as exc:
        flag(cast, cast.people[6], since=TODAY + dt.timedelta(days=3))
    assert "since_in_future" in _codes(exc)
    assert selectors.exempt_people(cast.branch, TODAY) == {}
    flag(cast, cast.people[6], "frail")
    assert list(selectors.exempt_people(cast.branch, TODAY)) == [cast.people[6].pk]


def test_fifty_years_and_birthdays(cast):
    old = cast.people[4]
    old.admitted_on, old.full_on = dt.date(1975, 12, 3), dt.date(1976, 12, 3)
    old.save()
    assert [r.person for r in selectors.fifty_years(cast.branch, 2026)] == [old]
    assert selectors.fifty_years(cast.branch, 2027) == []
    rows = selectors.birthdays(cast.branch, 2026, 12)
    assert [(r.person, r.date, r.years) for r in rows] == [
        (cast.people[8], dt.date(2026, 12, 1), 1),
        (old, dt.date(2026, 12, 3), 51),
    ]
    july = selectors.birthdays(cast.branch, 2026, 7)
    assert len(july) == 7 and all(r.years == 16 for r in july)  # the cast's members joined on 2010-07-01


def test_pairs_members_without_one_and_the_plan_target(cast):
    staff = PairKind.objects.get(code="staff")
    family = PairKind.objects.get(code="family")
    m = cast.people[2]
    services.add_pair(actor=cast.secretary, branch=cast.branch, member=m, kind=staff, partner=cast.people[10])
    services.add_pair(actor=cast.secretary, branch=cast.branch, member=m, kind=family, partner_name="张小明家庭")
    for kw, code in [
        ({"kind": staff, "partner": cast.people[10]}, "pair_exists"),
        ({"kind": staff}, "partner_required"),
        ({"kind": family}, "partner_name_required"),
        ({"kind": staff, "partner": m}, "pair_self"),
        ({"kind": staff, "partner": cast.outsider_person}, "person_elsewhere"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.add_pair(actor=cast.secretary, branch=cast.branch, member=m, **kw)
        assert code in _codes(exc), kw
    with pytest.raises(ValidationError) as exc:
        services.add_pair(
            actor=cast.secretary, branch=cast.branch, member=cast.people[10], kind=staff, partner=cast.people[9]
        )
    assert "not_member" in _codes(exc)
    lo, hi, where = selectors.pair_range(cast.branch, 2026)
    assert (lo, hi, where) == (1, 2, "默认")
    rows = {r.member: r for r in selectors.pair_board(cast.branch, lo, hi)}
    assert rows[m].state == "ok" and len(rows[m].pairs) == 2
    assert rows[cast.people[3]].state == "none"
    pair = Pair.objects.filter(member=m).first()
    services.add_contact(actor=cast.secretary, pair=pair, date=TODAY, content="谈心谈话", way="面谈")
    with pytest.raises(ValidationError) as exc:
        services.add_contact(actor=cast.secretary, pair=pair, date=TODAY + dt.timedelta(days=1), content="x")
    assert "contact_in_future" in _codes(exc)
    services.end_pair(actor=cast.secretary, pair=pair)
    with pytest.raises(ValidationError):
        services.end_pair(actor=cast.secretary, pair=pair)


def test_the_pair_range_follows_the_annual_plan(cast):
    from zhibu.plans.models import Plan

    Plan.objects.create(
        branch=cast.branch,
        year=2026,
        title="2026年党支部工作计划",
        source_text="2026年党支部工作计划\n一、主要工作\n每名党员结对帮扶2-3名青年教师。\n",
    )
    assert selectors.pair_range(cast.branch, 2026) == (2, 3, "2026年工作计划")


def test_hours_by_name_posts_and_partners(cast):
    a, b = cast.people[3], cast.people[10]
    act = services.create_activity(
        actor=cast.secretary, branch=cast.branch, title="社区清洁", date=TODAY, hours={a: Decimal(2), b: Decimal("1.5")}
    )
    services.create_activity(
        actor=cast.secretary, branch=cast.branch, title="爱心义卖", date=TODAY, hours={a: Decimal(3)}
    )
    services.set_hours(actor=cast.secretary, activity=act, person=b, hours=Decimal(4))
    table = selectors.hours_table(cast.branch, 2026)
    assert [r.name for r in table] == sorted([a.name, b.name])
    assert {r.name: r.hours for r in table} == {a.name: Decimal(5), b.name: Decimal(4)}
    assert selectors.person_hours(a, 2026)[1] == Decimal(5)
    with pytest.raises(ValidationError) as exc:
        services.set_hours(actor=cast.secretary, activity=act, person=a, hours=Decimal(30))
    assert "hours_too_many" in _codes(exc)
    with pytest.raises(ValidationError) as exc:
        services.create_activity(actor=cast.secretary, branch=cast.branch, title="社区清洁", date=TODAY)
    assert "activity_exists" in _codes(exc)
    post = services.create_post(
        actor=cast.secretary,
        branch=cast.branch,
        year=2026,
        kind="model",
        name="保教示范岗",
        holder=a,
        commitment="关爱每一名幼儿",
    )
    with pytest.raises(ValidationError) as exc:
        services.create_post(
            actor=cast.secretary,
            branch=cast.branch,
            year=2026,
            kind="model",
            name="保教示范岗",
            holder=a,
            commitment="x",
        )
    assert "post_exists" in _codes(exc)
    changes = services.review_post(actor=cast.secretary, post=post, review="承诺兑现", result="excellent")
    assert changes["result"] == ["", "excellent"]
    partner = services.add_partner(actor=cast.secretary, branch=cast.branch, name="阳光社区党委", kind="community")
    services.add_joint_activity(actor=cast.secretary, partner=partner, date=TODAY, title="共建主题党日")
    with pytest.raises(ValidationError) as exc:
        services.add_partner(actor=cast.secretary, branch=cast.branch, name="阳光社区党委", kind="community")
    assert "partner_exists" in _codes(exc)
