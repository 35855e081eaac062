import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhibu.commend import rules, selectors, services
from zhibu.commend.models import Nomination
from zhibu.commend.tests.helpers import TODAY, add_workdays, open_round
from zhibu.core import clock
from zhibu.integrity import services as integrity


def _nominate(cast, rnd, person=None, award_type=rules.MEMBER, branch=None):
    with clock.frozen(TODAY):
        return services.nominate(actor=cast.secretary, round=rnd, branch=branch or cast.branch, award_type=award_type,
                                 person=person, reason="教书育人成绩突出")


def test_a_round_needs_its_approval_reference_and_a_quota(cast):
    with pytest.raises(ValidationError) as e:
        open_round(cast, approval_ref=" ")
    assert e.value.code == "no_approval"
    with pytest.raises(ValidationError) as e:
        open_round(cast, quota_member=0, quota_worker=0, quota_org=0)
    assert e.value.code == "no_quota"
    with pytest.raises(ValidationError) as e:
        open_round(cast, quota_kind=rules.RATIO, percent=None)
    assert e.value.code == "bad_percent"
    with clock.frozen(TODAY), pytest.raises(ValidationError):
        services.open_round(actor=cast.secretary, org=cast.branch, year=2026, title="x", opens_on=TODAY,
                            closes_on=TODAY, quota_kind=rules.FIXED, quota_member=1, approval_ref="x")


def test_a_vetoed_person_is_refused_with_the_reason(cast):
    rnd = open_round(cast)
    with clock.frozen(TODAY):
        integrity.record_violation(actor=cast.secretary, branch=cast.branch, person=cast.people[4],
                                   date=dt.date(2026, 3, 2), description="违规收受家长礼品")
    with pytest.raises(ValidationError) as e:
        _nominate(cast, rnd, cast.people[4])
    assert e.value.code == "vetoed" and "违规收受家长礼品" in e.value.messages[0]
    assert not Nomination.objects.exists()


def test_nominations_keep_to_the_window_the_branch_quota_and_full_members(cast):
    rnd = open_round(cast)
    _nominate(cast, rnd, cast.people[3])
    _nominate(cast, rnd, cast.people[4])
    with pytest.raises(ValidationError) as e:
        _nominate(cast, rnd, cast.people[5])
    assert e.value.code == "quota_full"
    with pytest.raises(ValidationError) as e:
        _nominate(cast, rnd, cast.people[8], award_type=rules.WORKER)  # 郑预备
    assert e.value.code == "not_full_member"
    with pytest.raises(ValidationError) as e:
        _nominate(cast, rnd, cast.outsider_person)
    assert e.value.code == "person_elsewhere"
    _nominate(cast, rnd, award_type=rules.ORG)
    with pytest.raises(ValidationError):
        _nominate(cast, rnd, award_type=rules.ORG)
    with clock.frozen(dt.date(2026, 6, 21)), pytest.raises(ValidationError) as e:
        services.nominate(actor=cast.secretary, round=rnd, branch=cast.branch, award_type=rules.WORKER,
                          person=cast.people[5], reason="x")
    assert e.value.code == "outside_window"


def test_withdrawn_nominations_free_their_place(cast):
    rnd = open_round(cast, quota_member=1)
    n = _nominate(cast, rnd, cast.people[3])
    with clock.frozen(TODAY):
        services.withdraw(actor=cast.secretary, nomination=n)
    _nominate(cast, rnd, cast.people[3])
    assert Nomination.objects.filter(status=rules.NOMINATED).count() == 1


def test_the_district_decides_within_its_quota_and_a_late_veto_blocks_the_award(cast):
    rnd = open_round(cast, quota_member=2)
    a = _nominate(cast, rnd, cast.people[3])
    b = _nominate(cast, rnd, cast.people[4])
    other = _nominate(cast, rnd, cast.outsider_person, branch=cast.other_branch)
    third = _nominate(cast, rnd, cast.other_branch.people.exclude(pk=cast.outsider_person.pk).first(),
                      branch=cast.other_branch)
    with clock.frozen(TODAY):
        integrity.record_violation(actor=cast.secretary, branch=cast.branch, person=cast.people[3],
                                   date=dt.date(2026, 6, 5), description="体罚幼儿")
        with pytest.raises(ValidationError) as e:
            services.decide(actor=cast.district_admin, nomination=a, award=True)
        assert e.value.code == "vetoed"
        with pytest.raises(ValidationError) as e:
            services.decide(actor=cast.district_admin, nomination=a, award=False)
        assert e.value.code == "no_note"
        services.decide(actor=cast.district_admin, nomination=a, award=False, note="存在一票否决情形")
        services.decide(actor=cast.district_admin, nomination=other, award=True)
        services.decide(actor=cast.district_admin, nomination=b, award=True)
        with pytest.raises(ValidationError) as e:
            services.decide(actor=cast.district_admin, nomination=third, award=True)
        assert e.value.code == "quota_full"
    assert [n.nominee for n in selectors.awarded(rnd)] == ["钱党员", "育才甲"]


def test_publicity_waits_for_every_decision_then_locks_the_round(cast):
    rnd = open_round(cast)
    a = _nominate(cast, rnd, cast.people[3])
    o = _nominate(cast, rnd, award_type=rules.ORG)
    with clock.frozen(TODAY):
        services.decide(actor=cast.district_admin, nomination=a, award=True)
        with pytest.raises(ValidationError) as e:
            services.publicise(actor=cast.district_admin, round=rnd, start=TODAY, days=5, add_workdays=add_workdays)
        assert e.value.code == "pending"
        services.decide(actor=cast.district_admin, nomination=o, award=True)
        rnd = services.publicise(actor=cast.district_admin, round=rnd, start=TODAY, days=5, add_workdays=add_workdays)
        assert rnd.publicity_end == dt.date(2026, 6, 16)
        with pytest.raises(ValidationError) as e:
            services.decide(actor=cast.district_admin, nomination=a, award=False, note="x")
        assert e.value.code == "publicised"
        awards = selectors.awards_of(cast.people[3], TODAY)
    assert [(aw.year, aw.label, aw.state) for aw in awards] == [(2026, "优秀共产党员", "open")]


def test_a_ratio_round_counts_full_members(cast):
    rnd = open_round(cast, quota_kind=rules.RATIO, percent=Decimal(20), quota_member=0, quota_worker=0, quota_org=0)
    lines = {line.award_type: line.quota for line in selectors.quota_lines(rnd, branch=cast.branch)}
    assert lines == {rules.MEMBER: 1, rules.WORKER: 1}  # 20% of 8 正式党员 → 1
    district = {line.award_type: line.quota for line in selectors.quota_lines(rnd)}
    assert district[rules.MEMBER] == 2  # 20% of 11 正式党员 in the district


def test_points_are_off_by_default_and_count_records_and_evidenced_items(cast):
    person = cast.member_person
    with clock.frozen(TODAY):
        assert selectors.points_for(person, 2026, TODAY) is None
        services.save_points_scheme(actor=cast.district_admin, org=cast.district, enabled=True, base=60)
        services.add_points_rule(actor=cast.district_admin, org=cast.district, name="参加组织生活",
                                 source=rules.ATTENDANCE, points=1, cap=20)
        services.add_points_rule(actor=cast.district_admin, org=cast.district, name="按时交纳党费",
                                 source=rules.DUES_ON_TIME, points=1)
        volunteer = services.add_points_rule(actor=cast.district_admin, org=cast.district, name="志愿服务",
                                             source=rules.MANUAL, points=3)
        with pytest.raises(ValidationError) as e:
            services.add_points_entry(actor=cast.secretary, person=person, branch=cast.branch, rule=volunteer,
                                      date=TODAY, evidence=" ")
        assert e.value.code == "no_evidence"
        services.add_points_entry(actor=cast.secretary, person=person, branch=cast.branch, rule=volunteer,
                                  date=dt.date(2026, 5, 1), evidence="社区防疫志愿服务")
        from zhibu.integrity.tests.helpers import held_meeting

    held_meeting(cast, day=dt.date(2026, 6, 1))
    with clock.frozen(TODAY):
        points = selectors.points_for(person, 2026, TODAY)
    by = {line.label: line.points for line in points.lines}
    assert by == {"参加组织生活": 1, "按时交纳党费": 0, "志愿服务": 3}
    assert points.total == 64
