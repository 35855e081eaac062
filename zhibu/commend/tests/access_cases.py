"""Every commend URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""

import datetime as dt

PUBLIC: set[str] = set()


def cases(cast):
    from zhibu.commend import rules
    from zhibu.commend.models import Nomination, PointsEntry, PointsRule, PointsScheme, Round

    b = cast.branch.pk
    rnd = Round.objects.create(
        org=cast.district, year=2026, title="2026年度“两优一先”评选表彰", opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31), quota_member=3, quota_worker=1, quota_org=1, approval_ref="示教党〔2026〕5号",
    )
    nomination = Nomination.objects.create(
        round=rnd, branch=cast.branch, award_type=rules.MEMBER, person=cast.people[4], reason="工作突出"
    )
    scheme = PointsScheme.objects.create(org=cast.district, enabled=True, base=60)
    rule = PointsRule.objects.create(scheme=scheme, name="志愿服务", source=rules.MANUAL, points=2)
    entry = PointsEntry.objects.create(person=cast.member_person, branch=cast.branch, year=2026, rule=rule, points=2,
                                       date=dt.date(2026, 2, 1), evidence="社区志愿服务")
    r = {"org_id": b, "round_id": rnd.pk}
    n = {"org_id": b, "nomination_id": nomination.pk}
    return {
        "commend:index": {"org_id": b},
        "commend:district": {"org_id": b},
        "commend:round_new": {"org_id": b},
        "commend:round": r,
        "commend:nominate": r,
        "commend:publicise": r,
        "commend:publicity_docx": r,
        "commend:withdraw": n,
        "commend:decide": n,
        "commend:people": {"org_id": b},
        "commend:person": {"org_id": b, "person_id": cast.member_person.pk},
        "commend:points_entry": {"org_id": b, "person_id": cast.member_person.pk},
        "commend:points_entry_remove": {"org_id": b, "entry_id": entry.pk},
        "commend:points_settings": {"org_id": b},
        "commend:points_rule_new": {"org_id": b},
        "commend:points_rule_toggle": {"org_id": b, "rule_id": rule.pk},
    }
