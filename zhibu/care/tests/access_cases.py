"""Every care URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""

PUBLIC: set[str] = set()


def cases(cast):
    from zhibu.care.tests.helpers import make_all

    o = make_all(cast)
    b = cast.branch.pk
    return {
        "care:index": {"org_id": b},
        "care:flags": {"org_id": b},
        "care:flag_new": {"org_id": b},
        "care:flag_end": {"org_id": b, "flag_id": o["flag"].pk},
        "care:campaigns": {"org_id": b},
        "care:campaign_new": {"org_id": b},
        "care:campaign": {"org_id": b, "campaign_id": o["campaign"].pk},
        "care:visit_new": {"org_id": b, "campaign_id": o["campaign"].pk},
        "care:campaign_refresh": {"org_id": b, "campaign_id": o["campaign"].pk},
        "care:fifty": {"org_id": b},
        "care:birthdays": {"org_id": b},
        "care:card": {"org_id": b, "person_id": cast.member_person.pk},
        "care:pairs": {"org_id": b},
        "care:pair_new": {"org_id": b},
        "care:pair": {"org_id": b, "pair_id": o["pair"].pk},
        "care:pair_contact": {"org_id": b, "pair_id": o["pair"].pk},
        "care:pair_end": {"org_id": b, "pair_id": o["pair"].pk},
        "care:volunteer": {"org_id": b},
        "care:activity_new": {"org_id": b},
        "care:activity": {"org_id": b, "activity_id": o["activity"].pk},
        "care:activity_hours": {"org_id": b, "activity_id": o["activity"].pk},
        "care:posts": {"org_id": b},
        "care:post_new": {"org_id": b},
        "care:post_review": {"org_id": b, "post_id": o["post"].pk},
        "care:partners": {"org_id": b},
        "care:partner_new": {"org_id": b},
        "care:joint_new": {"org_id": b, "partner_id": o["partner"].pk},
        "care:ledger": {"org_id": b, "which": "visits"},
        "care:district": {"org_id": b},
    }
